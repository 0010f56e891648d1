package dev.todo.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.events.ListeningWorker;
import dev.todo.events.Roles;
import dev.todo.events.Wakeups;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts pending webhook deliveries to their URLs, each as one structured CloudEvent, signed.
 *
 * <p>A round claims due deliveries with {@code FOR UPDATE SKIP LOCKED} and marks them {@code sending}
 * with a claim that lapses after the timeouts plus a margin, in a short transaction; the HTTP requests
 * run afterwards on a pool of {@code todo.webhooks.concurrency} threads, outside any transaction, and
 * each outcome is written back under the claim. So any number of senders share the work, a slow
 * receiver holds a thread but no database connection, and a sender that dies mid-attempt leaves a
 * claim that lapses and another sender retries (delivery is at least once; receivers de-duplicate on
 * {@code Webhook-Id}). A 2xx answer is a delivery; anything else, a refused destination, a timeout or
 * a redirect (never followed) is retried after the first delay, doubling, until the last attempt,
 * which marks it failed. The destination is checked again at each attempt, by the lookup the
 * connection uses, so the request goes to an address that was checked (see {@link DestinationGuard}). Between rounds the sender waits on {@code todo_webhooks}, notified when
 * deliveries are inserted or redelivered, and until the next planned attempt.
 */
@Singleton
@Requires(property = "todo.webhooks.sender.enabled", notEquals = "false")
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class WebhookSender extends ListeningWorker {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    // the NOTIFY does not always end the driver's timed wait (see OutboxRelay), so look at least this often
    static final Duration MAX_IDLE = Duration.ofMillis(500);
    static final Duration CLAIM_MARGIN = Duration.ofSeconds(30);
    static final int KEPT_OUTCOMES = 20;
    static final int MAX_ERROR = 500;
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /**
     * Claims due deliveries fairly: a user, and a receiving host, get at most their share of the
     * sending threads at once ({@code todo.webhooks.per-user-concurrency}, {@code per-host-concurrency}),
     * counting what is in flight already, so one user's slow receiver cannot hold every thread.
     * Deliveries over the share wait for the next round. Parameters: candidates, per host, per user,
     * limit, claim, lease seconds.
     */
    static final String HOST = "lower(substring(w.url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?(\\[[^]]*\\]|[^:/?#]*)'))";
    private static final String CLAIM = "with inflight as (select w.user_id, " + HOST + " as host from webhook_deliveries d"
            + " join webhooks w on w.id = d.webhook_id where d.status = 'sending' and d.next_attempt_at > statement_timestamp()),"
            + " candidates as (select d.id, d.next_attempt_at, w.user_id, " + HOST + " as host from webhook_deliveries d"
            + " join webhooks w on w.id = d.webhook_id where d.status in ('pending', 'sending')"
            + " and d.next_attempt_at <= statement_timestamp() order by d.next_attempt_at limit ?),"
            + " by_host as (select c.*, row_number() over (partition by c.host order by c.next_attempt_at)"
            + " + (select count(*) from inflight i where i.host = c.host) as host_rank from candidates c),"
            // a user's share is counted among the deliveries their hosts let through, so one stalled host does not block the user's others
            + " ranked as (select h.id, h.next_attempt_at, row_number() over (partition by h.user_id order by h.next_attempt_at)"
            + " + (select count(*) from inflight i where i.user_id = h.user_id) as user_rank from by_host h where h.host_rank <= ?),"
            + " due as (select d.id from webhook_deliveries d join ranked r on r.id = d.id"
            + " where r.user_rank <= ? and d.status in ('pending', 'sending')"
            + " and d.next_attempt_at <= statement_timestamp()"
            + " order by r.next_attempt_at limit ? for update of d skip locked)"
            + " update webhook_deliveries d set status = 'sending', attempts = d.attempts + 1, claim = ?,"
            + " next_attempt_at = clock_timestamp() + make_interval(secs => ?)"
            + " from due, webhooks w where d.id = due.id and w.id = d.webhook_id"
            + " returning d.id, d.attempts, d.payload, w.url, w.secret";

    /** How many deliveries one user, and one host, may have in flight; unlimited unless configured. */
    @Singleton
    public record Fairness(@io.micronaut.context.annotation.Value("${todo.webhooks.per-user-concurrency:4}") int perUser,
                           @io.micronaut.context.annotation.Value("${todo.webhooks.per-host-concurrency:4}") int perHost) {
    }

    private Fairness fairness = new Fairness(Integer.MAX_VALUE, Integer.MAX_VALUE);

    @jakarta.inject.Inject
    void setFairness(Fairness fairness) {
        this.fairness = fairness;
    }

    private static final String RECORD = "update webhook_deliveries set status = ?,"
            + " next_attempt_at = case when ? then clock_timestamp() + make_interval(secs => ?) end,"
            + " claim = null, last_attempt_at = ?, last_response_code = ?, last_error = ?,"
            + " delivered_at = case when ? then clock_timestamp() end,"
            + " outcomes = (select coalesce(jsonb_agg(e order by n), '[]'::jsonb)"
            + " from jsonb_array_elements(outcomes || jsonb_build_array(cast(? as jsonb))) with ordinality as t(e, n)"
            + " where n > jsonb_array_length(outcomes) + 1 - ?)"
            + " where id = ? and claim = ?";

    private final Wakeups wakeups;
    private final WebhookSettings settings;
    private final DestinationGuard guard;
    private final ObjectMapper mapper;
    private final CloseableHttpClient client;
    private final java.util.concurrent.ScheduledExecutorService deadlines;
    private final Semaphore slots; // one permit per sending thread not busy with an attempt
    private final MeterRegistry meters;
    private final Timer requests;
    private volatile ThreadPoolExecutor senders;

    public WebhookSender(DataSource dataSource, DataSourceResolver resolver, WebhookSettings settings, DestinationGuard guard,
                         ObjectMapper mapper, MeterRegistry meters, Wakeups wakeups) {
        super(resolver.resolve(dataSource), WebhookService.CHANNEL, "webhook-sender");
        this.wakeups = wakeups;
        this.settings = settings;
        this.guard = guard;
        this.mapper = mapper;
        this.meters = meters;
        this.slots = new Semaphore(Math.max(1, settings.concurrency()));
        // The connection's lookup is the check: it connects to exactly the addresses the guard passed.
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                try {
                    return guard.addresses(host);
                } catch (DestinationGuard.RefusedException e) {
                    throw new RefusedHostException(e.getMessage());
                }
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(checked)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                                .build())
                        .setMaxConnTotal(Math.max(1, settings.concurrency()))
                        .setMaxConnPerRoute(Math.max(1, settings.concurrency()))
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.requestTimeout())).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        this.deadlines = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
        this.requests = Timer.builder("todo.webhooks.requests").description("Webhook HTTP requests, to the answer")
                .register(meters);
    }

    /** A delivery this sender holds until it records the attempt's outcome. */
    record Claimed(UUID id, int attempt, String payload, String url, String secret, UUID claim) {
    }

    @Override
    public synchronized void start() {
        if (senders == null || senders.isShutdown()) {
            int threads = Math.max(1, settings.concurrency());
            AtomicInteger n = new AtomicInteger();
            senders = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "webhook-send-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        super.start();
    }

    /** Stops claiming, then lets the attempts under way finish (bounded by the timeouts). */
    @Override
    public synchronized void stop() {
        super.stop();
        ThreadPoolExecutor pool = senders;
        if (pool != null) {
            pool.shutdown();
            try {
                long ms = settings.connectTimeout().plus(settings.requestTimeout()).toMillis() + 1000;
                if (!pool.awaitTermination(ms, TimeUnit.MILLISECONDS)) {
                    slots.release(pool.shutdownNow().size()); // attempts never started: their claims lapse
                }
            } catch (InterruptedException e) {
                slots.release(pool.shutdownNow().size());
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected long round(Connection listener) throws SQLException {
        // an unexpected failure is logged, counted and backed off from by the worker loop itself
        return sendDue(listener);
    }

    private long sendDue(Connection listener) throws SQLException {
        int free;
        try {
            // with every thread busy, wait here for one to finish rather than polling
            if (!slots.tryAcquire(MAX_IDLE.toMillis(), TimeUnit.MILLISECONDS)) {
                return 1; // still busy: a short wait reads the notifications that came meanwhile
            }
        } catch (InterruptedException e) {
            return 1; // stopping
        }
        free = 1 + slots.drainPermits();
        List<Claimed> claimed;
        try {
            claimed = claim(free);
        } catch (SQLException | RuntimeException e) {
            slots.release(free);
            throw e;
        }
        slots.release(free - claimed.size());
        for (Claimed c : claimed) {
            try {
                senders.execute(() -> {
                    try {
                        attempt(c);
                    } catch (RuntimeException | Error e) {
                        // the claim lapses and the delivery is tried again; the failure is logged and counted
                        workerHealth().recovered("webhook-send", e);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                slots.release(); // stopping: the claim lapses and the delivery is retried
            }
        }
        if (claimed.size() == free) {
            return 0; // there may be more due: the next round waits for a free thread
        }
        return millisUntilNextDue(listener);
    }

    List<Claimed> claim(int limit) throws SQLException {
        UUID claim = UUID.randomUUID();
        long leaseSeconds = settings.connectTimeout().plus(settings.requestTimeout()).plus(CLAIM_MARGIN).toSeconds();
        List<Claimed> out = new ArrayList<>();
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setInt(1, Math.max(500, limit * 50)); // candidates: enough for other users behind a busy one
                ps.setLong(2, fairness.perHost());
                ps.setLong(3, fairness.perUser());
                ps.setInt(4, limit);
                ps.setObject(5, claim);
                ps.setLong(6, leaseSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), claim));
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    private long millisUntilNextDue(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select extract(epoch from (next_attempt_at - clock_timestamp())) * 1000"
                     + " from webhook_deliveries where status in ('pending', 'sending') order by next_attempt_at limit 1")) {
            if (!rs.next()) {
                return MAX_IDLE.toMillis();
            }
            // at least 1 ms: 0 would mean "at once" without waiting for notifications
            return Math.max(1, Math.min((long) Math.ceil(rs.getDouble(1)), MAX_IDLE.toMillis()));
        }
    }

    /** One HTTP attempt and its recorded outcome. */
    void attempt(Claimed c) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long start = System.nanoTime();
        Integer code = null;
        String error = null;
        if (c.attempt() > settings.maxAttempts()) {
            // only after a sender stopped during the last attempt: its claim lapsed with no outcome
            error = "no outcome was recorded for the last attempt (its sender stopped)";
        } else {
            try {
                URI url = URI.create(c.url());
                if (url.getHost() == null || url.getHost().isEmpty()) {
                    throw new DestinationGuard.RefusedException("has no host");
                }
                code = post(url, c); // its connection's lookup checks the destination
                if (code >= 300 && code < 400) {
                    error = "redirects are not followed";
                }
            } catch (DestinationGuard.RefusedException | RefusedHostException e) {
                error = "refused: " + e.getMessage();
            } catch (DeadlineException | java.net.SocketTimeoutException e) {
                error = "timed out: " + e.getMessage();
            } catch (IOException | IllegalArgumentException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        record(c, at, code, error, durationMs);
    }

    /** A destination refused by the guard at the connection's lookup. */
    static final class RefusedHostException extends UnknownHostException {
        RefusedHostException(String message) {
            super(message);
        }
    }

    /** The whole attempt took longer than the request timeout (a receiver that answers slowly, byte by byte). */
    static final class DeadlineException extends IOException {
        DeadlineException(Duration timeout) {
            super("no answer within " + timeout.toMillis() + " ms");
        }
    }

    private int post(URI url, Claimed c) throws IOException {
        byte[] body = c.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        HttpPost request = new HttpPost(url);
        request.setHeader("User-Agent", "todo-webhooks/1");
        request.setHeader("Webhook-Id", c.id().toString());
        request.setHeader("Webhook-Timestamp", Long.toString(timestamp));
        request.setHeader("Webhook-Signature", WebhookSignature.sign(c.secret(), timestamp, body));
        request.setEntity(new ByteArrayEntity(body, ContentType.parse(CONTENT_TYPE)));
        Timer.Sample sample = Timer.start(meters);
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        // the timeouts bound each wait; this bounds the attempt as a whole, up to the answer's status line
        java.util.concurrent.ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            late.set(true);
            request.cancel();
        }, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
            // the answer's body is not wanted: closing without reading it does not wait for a receiver that keeps talking
            deadline.cancel(false);
            sample.stop(requests);
            return response.getCode();
        } catch (IOException e) {
            if (late.get()) {
                throw new DeadlineException(settings.requestTimeout());
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private void record(Claimed c, Instant at, Integer code, String error, long durationMs) {
        boolean delivered = code != null && code >= 200 && code < 300;
        boolean last = c.attempt() >= settings.maxAttempts();
        String status = delivered ? "delivered" : last ? "failed" : "pending";
        if (error != null && error.length() > MAX_ERROR) {
            error = error.substring(0, MAX_ERROR);
        }
        ObjectNode outcome = mapper.createObjectNode();
        outcome.put("attempt", c.attempt());
        outcome.put("at", at.toString());
        if (code == null) {
            outcome.putNull("responseCode");
        } else {
            outcome.put("responseCode", code);
        }
        outcome.put("error", error);
        outcome.put("durationMs", durationMs);
        Counter.builder("todo.webhooks.attempts").description("Webhook delivery attempts by outcome")
                .tag("outcome", delivered ? "delivered" : last ? "failed" : "retry").register(meters).increment();
        try (Connection conn = dataSource().getConnection()) {
            conn.setAutoCommit(true);
            try (PreparedStatement ps = conn.prepareStatement(RECORD)) {
                ps.setString(1, status);
                ps.setBoolean(2, status.equals("pending"));
                ps.setDouble(3, settings.retryDelay(c.attempt()).toMillis() / 1000.0);
                ps.setObject(4, at.atOffset(ZoneOffset.UTC));
                if (code == null) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    ps.setInt(5, code);
                }
                ps.setString(6, error);
                ps.setBoolean(7, delivered);
                ps.setString(8, outcome.toString());
                ps.setInt(9, KEPT_OUTCOMES);
                ps.setObject(10, c.id());
                ps.setObject(11, c.claim());
                ps.executeUpdate(); // no row: the webhook was deleted or the delivery redelivered meanwhile
            }
            if (status.equals("pending") && settings.retryDelay(c.attempt()).compareTo(MAX_IDLE) < 0) {
                // the sender's wait was planned while this was being sent: wake it for the early retry
                wakeups.now(WebhookService.CHANNEL);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not record attempt {} of webhook delivery {}; it is retried when its claim lapses", c.attempt(), c.id(), e);
        }
        if (!delivered) {
            LOG.info("Webhook delivery {} attempt {} of {} {}: {}", c.id(), c.attempt(), settings.maxAttempts(),
                    last ? "failed for good" : "failed", error != null ? error : "HTTP " + code);
        }
    }
}
