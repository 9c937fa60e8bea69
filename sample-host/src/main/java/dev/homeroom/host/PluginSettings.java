package dev.homeroom.host;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncEngine;
import java.util.List;

/** {@code --plugin-setting ID.KEY=VALUE}: a setting handed to one plugin when it loads. */
final class PluginSettings {
    private PluginSettings() {}

    static void apply(List<String> settings, SyncEngine.Builder builder) {
        for (String setting : settings) {
            int dot = setting.indexOf('.');
            int eq = setting.indexOf('=');
            if (dot < 1 || eq < dot + 2) {
                throw new ConfigurationException("HR-CONFIG-073", "bad --plugin-setting '" + setting
                        + "': use ID.KEY=VALUE, e.g. springfield.districts=5f0c1a2b3c4d5e6f7a8b9c0d");
            }
            builder.pluginSetting(setting.substring(0, dot), setting.substring(dot + 1, eq), setting.substring(eq + 1).strip());
        }
    }
}
