package dev.todo.events;

import java.time.Duration;

/**
 * A table a feature keeps for a limited time: the housekeeping job deletes its rows past
 * {@link #retention()} in chunks, with the feature's own statement (the feature owns its SQL).
 */
public interface Retained {

    /** What the rows are, for the log ("activity entries"). */
    String what();

    /** How long rows are kept; zero or negative keeps them forever. */
    Duration retention();

    /**
     * Deletes at most {@code limit} rows older than the retention: a statement with two
     * parameters, the age as an interval text ({@code ?::interval}) and the limit.
     */
    String deleteChunk();
}
