package dev.todo.assistant;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * A refused MCP request says how to authenticate (RFC 6750), as MCP clients expect of a 401:
 * a bearer token, here a personal API token.
 */
@ServerFilter("/mcp")
public class McpAuthChallenge implements Ordered {

    /** Around the security filter, so its response to an unauthenticated request passes through here. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }


    @ResponseFilter
    public void challenge(MutableHttpResponse<?> response) {
        if (response.status() == HttpStatus.UNAUTHORIZED && !response.getHeaders().contains("WWW-Authenticate")) {
            response.header("WWW-Authenticate", "Bearer realm=\"todo\", error=\"invalid_token\","
                    + " error_description=\"send a personal API token (todo_pat_...) as the bearer token\"");
        }
    }
}
