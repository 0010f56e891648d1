package dev.todo.events;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;

import java.util.Set;

/** The choice of transport ({@code TODO_EVENTS_TRANSPORT}); an unknown value stops the start with a clear message. */
@Context
public class EventTransports {

    public static final String PROPERTY = "todo.events.transport";
    public static final String IN_PROCESS = "inprocess";
    public static final String DAPR = "dapr";
    public static final String KAFKA = "kafka";
    static final Set<String> ALL = Set.of(IN_PROCESS, DAPR, KAFKA);

    public EventTransports(@Value("${" + PROPERTY + ":" + IN_PROCESS + "}") String transport) {
        if (!ALL.contains(transport)) {
            throw new ConfigurationException("TODO_EVENTS_TRANSPORT (todo.events.transport) is '" + transport
                    + "'; it must be one of inprocess, dapr, kafka");
        }
    }
}
