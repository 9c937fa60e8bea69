package dev.homeroom.admin.internal;

/**
 * What every page's frame needs: the console's mount path (links start with it), the page title, who is signed in, the
 * CSRF token every form posts back, and a message from the last action (null for none).
 */
public record Chrome(String base, String title, String user, String csrf, String notice, String error) {
    public String link(String path) {
        return base + path;
    }
}
