package dev.homeroom.host.testing;

import dev.homeroom.spi.RecordTransformer;
import java.util.List;

/**
 * A test plugin that changes records of every district as they are fetched: a test overrides the {@code transform…}
 * methods it needs (the rest pass records through) and changes the plugin's state between runs to make Clever's data
 * look changed.
 */
public abstract class TransformingPlugin extends TestPlugin implements RecordTransformer {
    protected TransformingPlugin(String name) {
        super(name, null);
    }

    @Override
    public List<RecordTransformer> recordTransformers() {
        return List.of(this);
    }
}
