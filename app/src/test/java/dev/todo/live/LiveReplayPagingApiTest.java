package dev.todo.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resume behind a large backlog, over real HTTP on a server of its own: the replay is read from
 * the outbox a page at a time as the client reads, and a client that stops reading stops the reads.
 */
class LiveReplayPagingApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    // copies of one event of about 16 kB: about 14 MB, far over the 1 MiB a replay could hold at once,
    // and more than the socket buffers and Micronaut (which asks for up to some hundred frames ahead
    // of the connection) take in, so a client that stops reading does stop the server's writes
    static final int BACKLOG = 900;
    static final int PAD = 16_000;

    static OwnServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = TestApp.ownServer("replay", Map.of("todo.live.replay-max-bytes", 64 << 20));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeStreams() {
        server.closeResources();
    }

    /**
     * A client on a plain socket with a small receive buffer that reads only when the test asks for
     * a frame, so what it does not read backs up into the server's writes (java.net.http reads ahead).
     */
    final class SlowClient implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader lines;

        SlowClient(Api user, String lastEventId) {
            try {
                socket = new Socket();
                socket.setReceiveBufferSize(16 * 1024);
                socket.setSoTimeout((int) WAIT.toMillis());
                socket.connect(new InetSocketAddress(server.server().getHost(), server.server().getPort()));
                server.register(this);
                socket.getOutputStream().write(("GET /api/stream HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n"
                        + "Authorization: Bearer " + user.token() + "\r\nLast-Event-ID: " + lastEventId + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
                String status = line(in);
                assertThat(status).startsWith("HTTP/1.1 200");
                boolean chunked = false;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    chunked |= h.toLowerCase(java.util.Locale.ROOT).matches("transfer-encoding: *chunked");
                }
                assertThat(chunked).as("a streamed response").isTrue();
                lines = new BufferedReader(new InputStreamReader(new Chunked(in), StandardCharsets.UTF_8), 4096);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        /** Reads up to the end of the next frame. */
        SseClient.Frame next(Duration unused) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            List<String> comments = new ArrayList<>();
            try {
                for (String l = lines.readLine(); ; l = lines.readLine()) {
                    if (l == null) {
                        throw new AssertionError("the stream ended");
                    }
                    if (l.isEmpty()) {
                        if (id != null || event != null || data != null || !comments.isEmpty()) {
                            return new SseClient.Frame(id, event, data == null ? null : data.toString(), comments, null, System.nanoTime());
                        }
                        continue;
                    }
                    int colon = l.indexOf(':');
                    String field = colon < 0 ? l : l.substring(0, colon);
                    String value = colon < 0 ? "" : l.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "" -> comments.add(value);
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        SseClient.Frame nextEvent(Duration wait) {
            for (SseClient.Frame f = next(wait); ; f = next(wait)) {
                if (f.isEvent()) {
                    return f;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        /** The body of a chunked response. */
        private static final class Chunked extends InputStream {
            private final InputStream in;
            private long left;

            Chunked(InputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    String size = line(in);
                    if (size.isEmpty()) {
                        size = line(in); // the line break that ends the previous chunk
                    }
                    left = Long.parseLong(size.split(";")[0].trim(), 16);
                    if (left == 0) {
                        return -1;
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        }
    }

    @Test
    void aResumeBehindALargeBacklogIsReadPageByPageAsTheClientReadsThenGoesLive() throws Exception {
        Api user = api.newUser();
        UUID userId = UUID.fromString(user.get("/api/me").json().get("id").asText());
        LiveStreams registry = server.bean(LiveStreams.class);

        SseClient first = server.register(SseClient.open(SseClient.request(user.base().resolve("/api/stream"), user.token()).build()));
        String id = user.createTask("{\"title\":\"v0\"}").get("id").asText();
        String start = first.nextEvent(WAIT).id();
        first.close();
        // the backlog: copies of the user's first event, written as already published (so only a replay sends them)
        List<Long> backlog = new ArrayList<>();
        long size;
        try (Connection c = server.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (id, type, topics, subject, user_id, time, data, published_at)"
                    + " select gen_random_uuid(), type, topics, subject, user_id, now(), data || jsonb_build_object('pad', repeat('x', ?)), now()"
                    + " from outbox, generate_series(1, ?) where seq = ? order by generate_series returning seq")) {
                ps.setInt(1, PAD);
                ps.setInt(2, BACKLOG);
                ps.setLong(3, Long.parseLong(start));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        backlog.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select octet_length(data::text) from outbox where seq = ?")) {
                ps.setLong(1, backlog.get(0));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    size = rs.getLong(1);
                }
            }
        }
        backlog.sort(null);
        int perPage = (int) Math.min(100, 65536 / size); // the default page: 100 events, 64 KiB

        // reads the first frame and two events, then stops reading: the server's writes back up
        SlowClient slow = new SlowClient(user, start);
        List<SseClient.Frame> got = new ArrayList<>();
        assertThat(slow.next(WAIT).comments()).contains("stream open");
        got.add(slow.nextEvent(WAIT));
        got.add(slow.nextEvent(WAIT));
        LiveStream stream = await(WAIT, () -> registry.streams(userId), s -> s.size() == 1).get(0);

        LiveStream.ReplayProgress stalled = stalled(stream);
        System.out.printf("replay of %d events of %d bytes, %d a page; the client read 2 and stopped: %s%n",
                BACKLOG, size, perPage, stalled);
        assertThat(stalled.read()).as("a client that stops reading stops the reads: " + stalled).isLessThan(BACKLOG);
        assertThat(stalled.pages()).as("read page by page: " + stalled).isGreaterThan(1);
        assertThat(stalled.waiting()).as("read and not sent: " + stalled).isBetween(0, perPage);
        assertThat(stalled.maxHeld()).as("never more than a page read and not sent").isLessThanOrEqualTo(perPage);

        // changes made meanwhile reach the stream live and wait for the end of the replay
        for (int i = 1; i <= 3; i++) {
            assertThat(user.patch("/api/tasks/" + id, "{\"title\":\"v" + i + "\"}").status()).isEqualTo(200);
        }
        LiveStream.ReplayProgress held = await(WAIT, stream::replayProgress, p -> p.held() == 3);
        assertThat(held.read()).as("no page read while the client read nothing").isEqualTo(stalled.read());
        assertThat(held.pages()).isEqualTo(stalled.pages());

        for (int i = 2; i < BACKLOG + 3; i++) {
            got.add(slow.nextEvent(WAIT));
        }
        assertThat(got.subList(0, BACKLOG)).as("every missed event once, in order")
                .extracting(f -> Long.parseLong(f.id())).containsExactlyElementsOf(backlog);
        assertThat(got.subList(BACKLOG, BACKLOG + 3)).as("then the live ones").extracting(f -> title(f))
                .containsExactly("v1", "v2", "v3");
        assertThat(new HashSet<>(got.stream().map(SseClient.Frame::id).toList())).as("each event once").hasSize(BACKLOG + 3);

        LiveStream.ReplayProgress done = stream.replayProgress();
        assertThat(done.done()).isTrue();
        assertThat(done.read()).isEqualTo(BACKLOG);
        assertThat(done.sent()).isEqualTo(BACKLOG);
        assertThat(done.pages()).as("full pages: " + done).isEqualTo((BACKLOG + perPage - 1) / perPage);
        assertThat(done.maxHeld()).isLessThanOrEqualTo(perPage);

        // then live, nothing repeated in between
        user.patch("/api/tasks/" + id, "{\"title\":\"v4\"}");
        assertThat(title(slow.nextEvent(WAIT))).isEqualTo("v4");
    }

    /**
     * Waits until the response asks for nothing and the stream's counts stay the same over a few
     * polls: the response no longer asks because the connection no longer drains.
     */
    private static LiveStream.ReplayProgress stalled(LiveStream stream) {
        LiveStream.ReplayProgress[] last = {null};
        int[] same = {0};
        return await(WAIT, stream::replayProgress, p -> {
            boolean still = last[0] != null && last[0].read() == p.read() && last[0].sent() == p.sent();
            same[0] = still && p.asked() == 0 ? same[0] + 1 : 0;
            last[0] = p;
            return same[0] >= 5;
        });
    }

    private static String title(SseClient.Frame f) {
        try {
            JsonNode json = Api.JSON.readTree(f.data());
            return json.at("/data/task/title").asText();
        } catch (IOException e) {
            throw new AssertionError(f.data(), e);
        }
    }
}
