package dev.homeroom.rules;

import dev.homeroom.rules.internal.DrlCompiler;
import dev.homeroom.rules.internal.SessionRunner;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RuleFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.kie.api.KieBase;

/**
 * Compiled rule files, ready to decide batches of facts. Immutable and thread-safe: each {@link #evaluate} call
 * opens its own session. Compile once per rules change (e.g. when the rules directory's {@link #contentHash()} of
 * the re-read files differs) and share the instance.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RuleSet {
    private final KieBase kieBase;
    private final List<RuleInfo> rules;
    private final List<String> fileNames;
    private final String contentHash;

    private RuleSet(KieBase kieBase, List<RuleInfo> rules, List<String> fileNames, String contentHash) {
        this.kieBase = kieBase;
        this.rules = rules;
        this.fileNames = fileNames;
        this.contentHash = contentHash;
    }

    /**
     * Compiles rule files together (the default set, a directory, plugins' files).
     *
     * @throws RulesException with every error located as file, line and column, when any file fails
     */
    public static RuleSet compile(List<RuleFile> files) {
        Objects.requireNonNull(files, "files");
        DrlCompiler.Result result = DrlCompiler.compile(files);
        if (!result.problems().isEmpty()) {
            throw RulesException.compileFailed(result.problems());
        }
        List<String> names = files.stream().map(RuleFile::name).sorted().toList();
        return new RuleSet(result.kieBase(), result.rules(), names, contentHash(files));
    }

    /** SHA-256 (hex) over the files' names and contents, sorted by name: which rules decided a run. */
    public static String contentHash(List<RuleFile> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<RuleFile> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(RuleFile::name).thenComparing(RuleFile::content));
            for (RuleFile f : sorted) {
                byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
                byte[] content = f.content().getBytes(StandardCharsets.UTF_8);
                // lengths first, so that moving text between name and content changes the hash
                sha.update(longBytes(name.length));
                sha.update(name);
                sha.update(longBytes(content.length));
                sha.update(content);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    public String contentHash() {
        return contentHash;
    }

    /** Every rule, sorted by file then id. */
    public List<RuleInfo> rules() {
        return rules;
    }

    /** The names of the files compiled, sorted. */
    public List<String> fileNames() {
        return fileNames;
    }

    /**
     * Decides one batch: inserts the policies and every fact into one new session, fires all rules and returns what
     * the rules inserted. Never throws because of a fact's content: when a rule fails on some fact, the batch is
     * decided again fact by fact and the failing fact gets an ERROR decision ({@code engine:rule-error}) naming the
     * rule. Keep batches bounded (5,000–10,000 facts): a session holds every fact in memory.
     */
    public Decisions evaluate(Collection<?> facts, Policies policies) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(policies, "policies");
        return SessionRunner.evaluate(kieBase, facts, policies);
    }

    @Override
    public String toString() {
        return "RuleSet[" + fileNames.size() + " files, " + rules.size() + " rules, " + contentHash.substring(0, 12) + "]";
    }
}
