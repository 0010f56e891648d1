package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.Via;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The MCP server: the task tools, today's agenda as a resource and a planning prompt, served by the
 * SDK's stateless server. {@link McpController} carries each HTTP request to it.
 */
@Factory
public class McpTools {

    static final String USER = "todo.user";
    static final String VIA = "todo.via";
    static final String AGENDA_URI = "todo://agenda/today";

    /** The transport SPI: the controller hands requests to the handler the server installs here. */
    @Singleton
    static class Transport implements McpStatelessServerTransport {

        private volatile McpStatelessServerHandler handler;

        @Override
        public void setMcpHandler(McpStatelessServerHandler handler) {
            this.handler = handler;
        }

        McpStatelessServerHandler handler() {
            return handler;
        }

        /** The versions initialize can agree on, and the only ones accepted in MCP-Protocol-Version. */
        @Override
        public List<String> protocolVersions() {
            return List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }
    }

    static UUID user(McpTransportContext ctx) {
        return (UUID) ctx.get(USER);
    }

    static Via via(McpTransportContext ctx) {
        return (Via) ctx.get(VIA);
    }

    @Singleton
    McpStatelessSyncServer server(Transport transport, TaskTools tools, ObjectMapper mapper) {
        var spec = McpServer.sync(transport)
                .serverInfo("todo", "1")
                .jsonMapper(McpJsonDefaults.getMapper())
                .instructions("Tools to manage the signed-in user's tasks. Call agenda first to learn today's date and the "
                        + "user's time zone. Dates are ISO-8601 with an offset. Errors name the offending field.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
                // the tools check their arguments with the REST API's own rules and messages
                .validateToolInputs(false)
                .immediateExecution(true);
        for (TaskTools.Tool tool : tools.tools()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = mapper.convertValue(tool.inputSchema(), Map.class);
            McpSchema.Tool definition = McpSchema.Tool.builder()
                    .name(tool.name())
                    .title(tool.title())
                    .description(tool.description())
                    .inputSchema(schema)
                    .annotations(new McpSchema.ToolAnnotations(tool.title(), tool.effect() == TaskTools.Effect.READ,
                            tool.effect() == TaskTools.Effect.CHANGE && tool.name().startsWith("delete"),
                            tool.effect() == TaskTools.Effect.READ, false, null))
                    .build();
            spec.tools(new McpStatelessServerFeatures.SyncToolSpecification(definition, (ctx, request) -> {
                JsonNode args = mapper.valueToTree(request.arguments());
                TaskTools.Result r = tools.call(user(ctx), via(ctx), tool.name(), args);
                return McpSchema.CallToolResult.builder().addTextContent(r.json()).isError(r.error()).build();
            }));
        }
        spec.resources(new McpStatelessServerFeatures.SyncResourceSpecification(
                McpSchema.Resource.builder().uri(AGENDA_URI).name("agenda").title("Today's agenda")
                        .description("Open tasks overdue, due today and due in the next 7 days, in the user's zone.")
                        .mimeType("application/json").build(),
                (ctx, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                        AGENDA_URI, "application/json", tools.json(tools.agenda(user(ctx))))))));
        spec.prompts(new McpStatelessServerFeatures.SyncPromptSpecification(
                new McpSchema.Prompt("plan_my_day", "Plan my day",
                        "Looks at today's agenda and proposes an order for the day.", List.of()),
                (ctx, request) -> new McpSchema.GetPromptResult("Plan the day from the agenda", List.of(
                        new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent(
                                "Here is my agenda as JSON:\n" + tools.json(tools.agenda(user(ctx)))
                                        + "\nPropose an order for today: overdue and urgent things first, and say which "
                                        + "tasks I should move to another day. Ask before changing anything."))))));
        return spec.build();
    }
}
