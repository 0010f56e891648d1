package dev.todo.assistant;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryWindowTest {

    /** A turn: the user's message, a tool call, its result, the answer. */
    private static List<ChatMessage> turn(int n) {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c" + n).name("agenda").arguments("{}").build();
        return List.of(UserMessage.from("m" + n), AiMessage.from(List.of(call)), ToolExecutionResultMessage.from(call, "{}"),
                AiMessage.from("a" + n));
    }

    @Test
    void aShortConversationIsSentWhole() {
        List<ChatMessage> all = new ArrayList<>(turn(1));
        assertThat(Assistant.window(all, 60)).isEqualTo(all);
    }

    @Test
    void aLongOneIsCutAtAUsersMessageNeverBetweenACallAndItsResult() {
        List<ChatMessage> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.addAll(turn(i));
        }
        List<ChatMessage> sent = Assistant.window(all, 10);
        assertThat(sent).hasSizeLessThanOrEqualTo(10);
        assertThat(sent.get(0)).isInstanceOf(UserMessage.class);
        assertThat(sent.get(sent.size() - 1)).isEqualTo(all.get(all.size() - 1));
        assertThat(((UserMessage) sent.get(0)).singleText()).isEqualTo("m28");
    }

    @Test
    void oneTurnLongerThanTheWindowStillStartsAtItsUsersMessage() {
        List<ChatMessage> all = new ArrayList<>(turn(0));
        all.add(UserMessage.from("big"));
        for (int i = 0; i < 20; i++) {
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("x" + i).name("get_task").arguments("{}").build();
            all.add(AiMessage.from(List.of(call)));
            all.add(ToolExecutionResultMessage.from(call, "{}"));
        }
        List<ChatMessage> sent = Assistant.window(all, 10);
        assertThat(((UserMessage) sent.get(0)).singleText()).isEqualTo("big");
        assertThat(sent).hasSize(41);
    }
}
