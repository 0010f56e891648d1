package dev.todo.assistant;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.events.Via;
import dev.todo.web.Cursor;
import dev.todo.web.ApiException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * MCP's Streamable HTTP transport at {@code /mcp}, stateless: each POST carries one JSON-RPC message
 * and gets one JSON answer; there is no server-to-client stream (GET answers 405, as the transport
 * allows). The caller is the owner of the bearer token. The client's name from {@code initialize}
 * comes back on every later request inside the session id, which is that name signed for that user,
 * so no server keeps session state and any replica can serve any request.
 */
@Controller("/mcp")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class McpController {

    private static final Logger LOG = LoggerFactory.getLogger(McpController.class);
    static final int MAX_CLIENT_NAME = 100;

    private final McpTools.Transport transport;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Cursor sessions;

    public McpController(McpTools.Transport transport, McpStatelessSyncServer server, ObjectMapper mapper,
                         @Value("${todo.auth.jwt-secret}") String secret) {
        // the server is injected so that it has installed its handler on the transport
        this.transport = transport;
        this.sessions = new Cursor(Cursor.key(secret, "mcp-session"), mapper);
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> post(Authentication auth, HttpRequest<?> request, @Nullable @Body String raw) {
        UUID user = CurrentUser.id(auth);
        HttpResponse<String> refused = refuse(request);
        if (refused != null) {
            return refused;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, raw == null ? "" : raw);
        } catch (IOException | IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, null, McpSchema.ErrorCodes.PARSE_ERROR,
                    "The body is not a JSON-RPC message: " + e.getMessage());
        }
        if (!(message instanceof McpSchema.JSONRPCRequest rpc)) {
            // notifications (initialized, cancelled) and responses need no answer from a stateless server
            return HttpResponse.accepted();
        }
        String client;
        String session = null;
        if (McpSchema.METHOD_INITIALIZE.equals(rpc.method())) {
            client = clientName(rpc);
            session = sessions.encode(List.of(client), user.toString());
        } else {
            String header = request.getHeaders().get(HttpHeaders.MCP_SESSION_ID);
            if (header == null) {
                client = null;
            } else {
                try {
                    client = sessions.decode(header, user.toString(), 1).get(0);
                } catch (ApiException e) {
                    // not a session of this user: the transport's answer is 404, and the client starts a new one
                    return error(HttpStatus.NOT_FOUND, rpc.id(), McpSchema.ErrorCodes.INVALID_REQUEST,
                            "Unknown session; send initialize again");
                }
            }
        }
        McpTransportContext ctx = McpTransportContext.create(Map.of(McpTools.USER, user,
                McpTools.VIA, new Via("mcp", client == null || client.isBlank() ? null : client)));
        McpSchema.JSONRPCResponse response;
        try {
            response = transport.handler().handleRequest(ctx, rpc)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, ctx))
                    .block();
        } catch (RuntimeException e) {
            // the tools turn their own failures into tool errors: what lands here is a request the SDK
            // could not read (missing or mistyped params)
            LOG.debug("MCP request {} refused", rpc.method(), e);
            return error(HttpStatus.BAD_REQUEST, rpc.id(), McpSchema.ErrorCodes.INVALID_PARAMS,
                    "Invalid params for " + rpc.method() + ": " + e.getMessage());
        }
        MutableHttpResponse<String> out = HttpResponse.ok(write(response)).contentType(MediaType.APPLICATION_JSON_TYPE);
        if (session != null) {
            out.header(HttpHeaders.MCP_SESSION_ID, session);
        }
        return out;
    }

    /** No server-initiated stream: the transport lets a server answer 405 here. */
    @Get
    public HttpResponse<?> stream() {
        return HttpResponse.status(HttpStatus.METHOD_NOT_ALLOWED).header("Allow", "POST, DELETE");
    }

    /** Ending a session: nothing is held, so nothing to free. */
    @Delete
    public HttpResponse<?> end() {
        return HttpResponse.noContent();
    }

    /** The checks of the transport specification that come before the body. */
    private HttpResponse<String> refuse(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origin != null && !sameHost(origin, request.getHeaders().get("Host"))) {
            // against DNS rebinding: a browser page of another site must not reach the server
            return error(HttpStatus.FORBIDDEN, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Origin not allowed");
        }
        String accept = request.getHeaders().get("Accept");
        if (accept != null && !accept.contains("application/json") && !accept.contains("*/*")) {
            return error(HttpStatus.NOT_ACCEPTABLE, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Accept must include application/json");
        }
        String version = request.getHeaders().get(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !transport.protocolVersions().contains(version)) {
            return error(HttpStatus.BAD_REQUEST, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Unsupported MCP-Protocol-Version " + version + "; supported: " + String.join(", ", transport.protocolVersions()));
        }
        return null;
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI o = URI.create(origin);
            return host != null && o.getAuthority() != null && o.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String clientName(McpSchema.JSONRPCRequest rpc) {
        try {
            McpSchema.InitializeRequest init = json.convertValue(rpc.params(), new TypeRef<McpSchema.InitializeRequest>() {
            });
            String name = init.clientInfo() == null ? null : init.clientInfo().name();
            if (name == null) {
                return "";
            }
            name = name.strip().replaceAll("\\p{Cntrl}", "");
            return name.length() > MAX_CLIENT_NAME ? name.substring(0, MAX_CLIENT_NAME) : name;
        } catch (RuntimeException e) {
            LOG.debug("initialize without a readable clientInfo", e);
            return "";
        }
    }

    private HttpResponse<String> error(HttpStatus status, Object id, int code, String message) {
        // built by hand: the SDK's response type refuses the null id JSON-RPC prescribes when the request's is unknown
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id);
        body.put("error", Map.of("code", code, "message", message));
        return HttpResponse.<String>status(status).body(write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
