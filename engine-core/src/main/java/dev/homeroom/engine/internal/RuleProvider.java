package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.PluginException;
import dev.homeroom.rules.PolicyFile;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.rules.RulesException;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RuleFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules and policies a run uses. Rule files are read again at every run, so an edited rules directory is picked
 * up without restarting the host; compiled rule sets are cached by the content hash of their files.
 */
public final class RuleProvider {
    private static final Logger log = LoggerFactory.getLogger(RuleProvider.class);
    public static final String POLICIES_FILE_NAME = "policies.properties";

    private final Path rulesDirectory;
    private final Path policiesFile;
    /**
     * Compiled rule sets by the content hash of their files, shared by every engine in the process: a scheduler runs one
     * engine per district, and fifty districts on the same rules compile them once. Bounded, least recently used out.
     */
    private static final Map<String, RuleSet> COMPILED = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RuleSet> eldest) {
            return size() > 16;
        }
    };

    public RuleProvider(Path rulesDirectory, Path policiesFile) {
        this.rulesDirectory = rulesDirectory;
        this.policiesFile = policiesFile;
    }

    /** The base rule files: the directory given, or the defaults shipped in the rules jar. */
    public List<RuleFile> baseFiles() {
        return rulesDirectory == null ? RuleFiles.defaults() : RuleFiles.fromDirectory(rulesDirectory);
    }

    /**
     * The base rules plus the rule files of these plugins, compiled (or taken from the cache). The base rules must compile.
     * A plugin whose rules do not compile with them (or that fails to hand them over) is refused whole, said so through
     * {@code refuse}, and the run stops with that message: the plugins given are those that apply to the district being
     * synced, and a district is never synced without a plugin that claims it.
     */
    public RuleSet ruleSet(List<DistrictPlugin> plugins, java.util.function.Consumer<String> refuse) {
        List<RuleFile> base = baseFiles();
        requireRules(compiled(base));
        List<RuleFile> files = new ArrayList<>(base);
        for (DistrictPlugin p : plugins) {
            List<RuleFile> own;
            try {
                own = withPrefix(p);
            } catch (PluginException e) {
                refuse.accept(withCode(e));
                throw refusedForThisDistrict(e.code(), withCode(e), e);
            }
            if (own.isEmpty()) {
                continue;
            }
            List<RuleFile> alone = new ArrayList<>(base);
            alone.addAll(own);
            try {
                compiled(alone);
                files.addAll(own);
            } catch (RulesException e) {
                String message = rulesRefused(p, e);
                refuse.accept(message);
                throw refusedForThisDistrict("HR-PLUGIN-006", message, e);
            }
        }
        return compiled(files);
    }

    private static String rulesRefused(DistrictPlugin p, RulesException e) {
        return "HR-PLUGIN-006 plugin '" + p.name() + "' is refused: its rules do not compile ("
                + (e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).toString()) + ")";
    }

    private static String withCode(PluginException e) {
        return e.code() + " " + e.getMessage();
    }

    private static PluginException refusedForThisDistrict(String code, String refusal, Exception cause) {
        return new PluginException(code, refusal + "; it applies to this district, which is not synced without it: fix the plugin,"
                + " or remove it or its district setting", cause);
    }

    /** A rules directory whose files hold no rule at all would provision everyone: refused like an empty one. */
    private void requireRules(RuleSet base) {
        if (rulesDirectory != null && base.rules().isEmpty()) {
            throw new RulesException(RulesException.NO_RULES, "the rule files in " + rulesDirectory.toAbsolutePath()
                    + " define no rules, and with no rules every record would be provisioned: add the rules, or leave the"
                    + " rules directory out to use the shipped rules");
        }
    }

    private static List<RuleFile> withPrefix(DistrictPlugin p) {
        List<RuleFile> own = new ArrayList<>();
        for (RuleFile f : pluginRuleFiles(p)) {
            own.add(new RuleFile("plugin:" + p.name() + "/" + f.name(), f.content()));
        }
        return own;
    }

    private RuleSet compiled(List<RuleFile> files) {
        String hash = RuleSet.contentHash(files);
        synchronized (COMPILED) {
            return COMPILED.computeIfAbsent(hash, h -> {
            long t0 = System.nanoTime();
            RuleSet set = RuleSet.compile(files);
            log.info("HR-RULES-100 compiled {} rule files ({} rules) in {} ms", files.size(), set.rules().size(),
                    (System.nanoTime() - t0) / 1_000_000);
            return set;
            });
        }
    }

    static List<RuleFile> pluginRuleFiles(DistrictPlugin p) {
        try {
            return p.ruleFiles();
        } catch (RuntimeException e) {
            throw new PluginException("HR-PLUGIN-005", "plugin '" + p.name() + "' failed to provide its rule files: " + e, e);
        }
    }

    /**
     * The policies for one district: the policies file, then the district's section of it, then plugins' overrides. A
     * plugin whose overrides cannot be read or name unknown keys or values stops the run (it claims the district).
     */
    public Policies policies(String districtId, List<DistrictPlugin> plugins) {
        Policies base = basePolicies();
        return withOverrides(PolicyFile.forDistrict(base, districtId), plugins);
    }

    private static Policies withOverrides(Policies policies, List<DistrictPlugin> plugins) {
        for (DistrictPlugin p : plugins) {
            Map<String, String> overrides;
            try {
                overrides = p.policyOverrides();
            } catch (RuntimeException e) {
                throw new PluginException("HR-PLUGIN-005", "plugin '" + p.name() + "' failed to provide its policy overrides: " + e, e);
            }
            if (!overrides.isEmpty()) {
                try {
                    policies = policies.with(PolicyFile.validateOverrides("plugin " + p.name(), overrides));
                } catch (dev.homeroom.rules.PolicyException e) {
                    throw new PluginException("HR-PLUGIN-008", "plugin '" + p.name() + "' is refused: its policy overrides are invalid ("
                            + e.getMessage() + ")", e);
                }
            }
        }
        return policies;
    }

    /**
     * Runs rule scenarios with the base rules and these plugins' rule files, and the policies file with the plugins'
     * overrides (a scenario's own {@code policy} lines still win): how a partner tests a plugin's rules.
     */
    public List<dev.homeroom.rules.ScenarioResult> scenarios(List<DistrictPlugin> plugins, List<Path> files,
                                                             java.util.function.Consumer<String> refuse) {
        RuleSet set = ruleSet(plugins, refuse);
        Policies policies = withOverrides(basePolicies(), plugins);
        List<dev.homeroom.rules.ScenarioResult> results = new ArrayList<>();
        for (Path f : files) {
            results.add(dev.homeroom.rules.ScenarioRunner.run(set, policies, f));
        }
        return results;
    }

    /** The policies file as configured: the given file, the one beside the rules directory, or the shipped defaults. */
    public Policies basePolicies() {
        if (policiesFile != null) {
            return PolicyFile.load(policiesFile);
        }
        if (rulesDirectory != null && Files.isRegularFile(rulesDirectory.resolve(POLICIES_FILE_NAME))) {
            return PolicyFile.load(rulesDirectory.resolve(POLICIES_FILE_NAME));
        }
        return PolicyFile.defaults();
    }

    /**
     * Compiles the base rules and each plugin's, and reads each plugin's policy overrides; returns every problem as
     * FILE:LINE:COLUMN: message. A plugin with a problem is said refused through {@code refuse}.
     */
    public List<String> check(List<DistrictPlugin> plugins, java.util.function.Consumer<String> refuse) {
        List<String> problems = new ArrayList<>();
        List<RuleFile> base;
        try {
            base = baseFiles();
            requireRules(RuleSet.compile(base));
        } catch (RulesException e) {
            e.problems().forEach(p -> problems.add(p.toString()));
            if (e.problems().isEmpty()) {
                problems.add(e.getMessage());
            }
            return problems;
        }
        for (DistrictPlugin p : plugins) {
            List<RuleFile> files = new ArrayList<>(base);
            try {
                files.addAll(withPrefix(p));
                RuleSet.compile(files);
            } catch (RulesException e) {
                e.problems().forEach(pr -> problems.add(pr.toString()));
                refuse.accept(rulesRefused(p, e));
            } catch (PluginException e) {
                problems.add(withCode(e));
                refuse.accept(withCode(e));
            }
            try {
                withOverrides(PolicyFile.defaults(), List.of(p));
            } catch (PluginException e) {
                problems.add(withCode(e));
                refuse.accept(withCode(e));
            }
        }
        try {
            basePolicies();
        } catch (ConfigurationException | dev.homeroom.rules.PolicyException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }
}
