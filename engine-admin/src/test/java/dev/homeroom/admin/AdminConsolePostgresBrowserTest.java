package dev.homeroom.admin;

import dev.homeroom.store.Vendor;

/** Every browser flow of {@link AdminConsoleBrowserTest} on a fresh PostgreSQL schema (skipped without a server, failed under CI). */
class AdminConsolePostgresBrowserTest extends AdminConsoleBrowserTest {
    @Override
    Vendor vendor() {
        return Vendor.POSTGRESQL;
    }
}
