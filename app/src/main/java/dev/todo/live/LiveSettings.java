package dev.todo.live;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Settings of the live stream ({@code todo.live.*}).
 *
 * @param replayWindow      how old the last event a client saw may be for its missed events to be replayed
 * @param replayMaxEvents   how many missed events are replayed at most; more means a reset
 * @param heartbeat         how often an idle stream gets a comment, so proxies keep it open
 * @param retry             the reconnection delay suggested to clients
 * @param maxStreamsPerUser open streams one user may hold on one instance
 * @param buffer            live events a stream may have waiting for its client before it is dropped
 * @param ticketTtl         how long a stream ticket stays redeemable
 */
@Singleton
public record LiveSettings(@Value("${todo.live.replay-window:24h}") Duration replayWindow,
                           @Value("${todo.live.replay-max-events:1000}") int replayMaxEvents,
                           @Value("${todo.live.heartbeat:15s}") Duration heartbeat,
                           @Value("${todo.live.retry:3s}") Duration retry,
                           @Value("${todo.live.max-streams-per-user:20}") int maxStreamsPerUser,
                           @Value("${todo.live.buffer:256}") int buffer,
                           @Value("${todo.live.ticket-ttl:60s}") Duration ticketTtl) {
}
