package dev.todo.ui;

/** Thrown when a page needs a signed-in user and the request has no valid session: the UI sends the browser to log in. */
final class UiRedirect extends RuntimeException {

    final String location;

    UiRedirect(String location) {
        super(location, null, false, false);
        this.location = location;
    }
}
