package dev.todo.assistant;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The chat assistant's model endpoint (any OpenAI-compatible chat-completions API with tool calling)
 * and its limits. Without a base URL and a model the assistant is off and says so.
 */
@Singleton
public record AssistantSettings(@Value("${todo.assistant.base-url:}") String baseUrl,
                                @Value("${todo.assistant.model:}") String model,
                                @Value("${todo.assistant.api-key:}") String apiKey,
                                @Value("${todo.assistant.timeout:60s}") Duration timeout,
                                @Value("${todo.assistant.retention:30d}") Duration retention,
                                @Value("${todo.assistant.confirm-above:10}") int confirmAbove,
                                @Value("${todo.assistant.max-steps:10}") int maxSteps) {

    public boolean configured() {
        return baseUrl != null && !baseUrl.isBlank() && model != null && !model.isBlank();
    }
}
