package dev.todo.db;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.exceptions.DataAccessResourceFailureException;
import io.micronaut.transaction.exceptions.CannotCreateTransactionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells connection-level trouble with the database (it is down, restarting or out of reach) from other failures. */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /**
     * SQLSTATE class 08 (connection), 57P (shutdown), a connection that could not be had or prepared
     * (e.g. the pool's broken connection), anywhere in the cause chain.
     */
    public static boolean causes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof ConnectException
                    || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof ConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
