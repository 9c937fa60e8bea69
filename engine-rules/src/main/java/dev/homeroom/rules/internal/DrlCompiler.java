package dev.homeroom.rules.internal;

import dev.homeroom.rules.RuleInfo;
import dev.homeroom.rules.RuleProblem;
import dev.homeroom.spi.RuleFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.compiler.kie.builder.impl.DrlProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic Drools build (KieFileSystem + {@link DrlProject}): it reports errors as DRL file and line, which the
 * executable model does not. Each file goes under a folder matching its {@code package}; each build gets a fresh
 * ReleaseId (the KieRepository is a JVM singleton) that is removed again once the KieBase exists.
 */
public final class DrlCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(DrlCompiler.class);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;?", Pattern.MULTILINE);
    private static final Pattern LINE_COLUMN = Pattern.compile("[Ll]ine (\\d+):(\\d+)");
    private static final AtomicLong BUILDS = new AtomicLong();

    public record Result(KieBase kieBase, List<RuleInfo> rules, List<RuleProblem> problems) {}

    private DrlCompiler() {}

    public static Result compile(List<RuleFile> files) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("dev.homeroom.rules.compiled", "ruleset-" + BUILDS.incrementAndGet(), "1.0.0");
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        Map<String, String> sourceByPath = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            RuleFile file = files.get(i);
            String path = "src/main/resources/" + packageFolder(file.content()) + i + "_" + safeName(file.name());
            sourceByPath.put(path, file.name());
            kfs.write(path, file.content());
        }
        KieBuilder builder = ks.newKieBuilder(kfs);
        builder.buildAll(DrlProject.class);
        List<RuleProblem> problems = new ArrayList<>();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            problems.add(problem(m, sourceByPath));
        }
        // the parser adds "Parser returned a null Package" (line 0) after a syntax error it already reported
        problems.removeIf(p -> p.message().contains("Parser returned a null Package")
                && problems.stream().anyMatch(o -> o != p && o.file().equals(p.file())));
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            return new Result(null, List.of(), problems);
        }
        try {
            KieContainer container = ks.newKieContainer(releaseId);
            KieBase kieBase = container.getKieBase();
            return new Result(kieBase, ruleInfos(kieBase, sourceByPath), List.of());
        } finally {
            ks.getRepository().removeKieModule(releaseId);
        }
    }

    private static List<RuleInfo> ruleInfos(KieBase kieBase, Map<String, String> sourceByPath) {
        List<RuleInfo> infos = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                Object id = rule.getMetaData().get("id");
                String file = fileOf(rule, sourceByPath);
                infos.add(new RuleInfo(id == null ? rule.getName() : unquote(id.toString()), rule.getName(), file));
            }
        }
        infos.sort(java.util.Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::id));
        return List.copyOf(infos);
    }

    private static String fileOf(Rule rule, Map<String, String> sourceByPath) {
        if (rule instanceof org.drools.base.definitions.rule.impl.RuleImpl impl && impl.getResource() != null) {
            String source = impl.getResource().getSourcePath();
            if (source != null) {
                for (Map.Entry<String, String> e : sourceByPath.entrySet()) {
                    if (e.getKey().endsWith(source) || source.endsWith(stripPrefix(e.getKey()))) {
                        return e.getValue();
                    }
                }
            }
        }
        return "";
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static RuleProblem problem(Message m, Map<String, String> sourceByPath) {
        String file = m.getPath() == null ? "" : m.getPath();
        for (Map.Entry<String, String> e : sourceByPath.entrySet()) {
            if (!file.isEmpty() && (e.getKey().endsWith(file) || file.endsWith(stripPrefix(e.getKey())))) {
                file = e.getValue();
                break;
            }
        }
        String text = m.getText() == null ? "" : m.getText().strip();
        int line = Math.max(m.getLine(), 0);
        int column = 0;
        Matcher lc = LINE_COLUMN.matcher(text);
        if (lc.find()) {
            column = Integer.parseInt(lc.group(2));
            if (line <= 0) {
                line = Integer.parseInt(lc.group(1));
            }
        }
        String oneLine = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        LOG.debug("rule compile error {}:{}:{}: {}", file, line, column, oneLine);
        return new RuleProblem(file, line, column, oneLine);
    }

    private static String stripPrefix(String path) {
        return path.startsWith("src/main/resources/") ? path.substring("src/main/resources/".length()) : path;
    }

    private static String packageFolder(String content) {
        Matcher m = PACKAGE.matcher(content);
        return m.find() ? m.group(1).replace('.', '/') + "/" : "";
    }

    private static String safeName(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.endsWith(".drl") ? base : base + ".drl";
    }
}
