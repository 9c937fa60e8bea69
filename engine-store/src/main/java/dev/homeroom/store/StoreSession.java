package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;

import java.util.Map;
import org.apiguardian.api.API;
import org.jooq.DSLContext;

/**
 * The store bound to one connection or transaction (from {@link Store#transaction}), in parts that follow the run's
 * stages, each with its own tables and SQL:
 * <ul>
 *   <li>{@link #runs()}: districts, runs, warnings;</li>
 *   <li>{@link #shadow()}: Clever's records as last fetched, and their enrollments (fetch);</li>
 *   <li>{@link #derive()}: the facts computed over the shadow (derive);</li>
 *   <li>{@link #decisions()}: what decided each record, and its outcomes across runs (decide);</li>
 *   <li>{@link #provisioning()}: accounts, classes, terms, schools, courses, memberships (apply);</li>
 *   <li>{@link #outbox()}: the changes for the host to consume;</li>
 *   <li>{@link #edits()}: what people set beside Clever (selected sections, display names, graduation years);</li>
 *   <li>{@link #manual()}: a host's own classes, students and memberships, which syncs leave alone;</li>
 *   <li>{@link #supplemental()}: data plugins read from their own sources, joined to users;</li>
 *   <li>{@link #reverts()}: what each run replaced, to revert it, and the changes of MANUAL plans;</li>
 *   <li>{@link #groups()}: teachers' custom groups, which no run edits;</li>
 *   <li>{@link #console()}: the admin console's paged reads; {@link #plans()} a plan's pages;</li>
 *   <li>{@link #approvals()}: who approved or rejected which halted run.</li>
 * </ul>
 * Every operation is scoped by district. jOOQ types never leave this module: the core speaks in the row records of
 * this package.
 */
@API(status = API.Status.INTERNAL)
public final class StoreSession {
    private final DSLContext ctx;
    private final Vendor vendor;
    private final RunStore runs;
    private final ShadowStore shadow;
    private final DeriveQueries derive;
    private final DecisionStore decisions;
    private final OutboxStore outbox;
    private final ProvisioningStore provisioning;
    private final EditStore edits;
    private final ManualStore manual;
    private final PlannerStatistics statistics;
    private final SupplementalStore supplemental;
    private final RevertStore reverts;
    private final IdentityStore identity;
    private final ConsoleQueries console;
    private final GroupStore groups;
    private final SelfCourses selfCourses;
    private final PlanQueries plans;
    private final ApprovalStore approvals;

    StoreSession(DSLContext ctx, Vendor vendor, Map<String, Integer> outboxDrainedBelow) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.statistics = new PlannerStatistics(ctx, vendor);
        this.runs = new RunStore(ctx);
        this.derive = new DeriveQueries(ctx);
        this.shadow = new ShadowStore(ctx, vendor, derive::shadowChanged);
        this.decisions = new DecisionStore(ctx, vendor);
        this.outbox = new OutboxStore(ctx, vendor, outboxDrainedBelow);
        this.reverts = new RevertStore(ctx, vendor, outbox);
        this.groups = new GroupStore(ctx);
        this.identity = new IdentityStore(ctx, vendor, outbox, groups);
        this.provisioning = new ProvisioningStore(ctx, vendor, outbox, statistics, reverts);
        this.edits = new EditStore(ctx);
        this.manual = new ManualStore(ctx, vendor, outbox);
        this.supplemental = new SupplementalStore(ctx, vendor, statistics);
        this.console = new ConsoleQueries(ctx);
        this.selfCourses = new SelfCourses(ctx, provisioning);
        this.plans = new PlanQueries(ctx);
        this.approvals = new ApprovalStore(ctx);
    }

    public Vendor vendor() {
        return vendor;
    }

    /** For measurements in this package ({@link StoreStats}, {@link StoreFloor}). */
    DSLContext ctx() {
        return ctx;
    }

    /** P13 SELF_COURSE: the self-generated courses derived from flagged students' memberships. */
    public SelfCourses selfCourses() {
        return selfCourses;
    }

    public RunStore runs() {
        return runs;
    }

    public ShadowStore shadow() {
        return shadow;
    }

    public DeriveQueries derive() {
        return derive;
    }

    public DecisionStore decisions() {
        return decisions;
    }

    public ProvisioningStore provisioning() {
        return provisioning;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    public EditStore edits() {
        return edits;
    }

    /** A host's own classes, students and memberships (P21 PARTIAL_LOCKDOWN): rows a sync never changes. */
    public ManualStore manual() {
        return manual;
    }

    /** Plugins' supplemental data: the rows their sources read, joined to users. */
    public SupplementalStore supplemental() {
        return supplemental;
    }

    /** Clever's identity quirks: users re-created under a new id. */
    public IdentityStore identity() {
        return identity;
    }

    /** What each run replaced (so it can be reverted) and the changes of MANUAL plans. */
    public RevertStore reverts() {
        return reverts;
    }

    /** Teachers' custom groups and their members. */
    public GroupStore groups() {
        return groups;
    }

    /** The admin console's paged reads. */
    public ConsoleQueries console() {
        return console;
    }

    /** The pages of a MANUAL plan's changes. */
    public PlanQueries plans() {
        return plans;
    }

    /** Who approved or rejected which halted run. */
    public ApprovalStore approvals() {
        return approvals;
    }

    /**
     * Makes PostgreSQL plan every statement of this transaction for its own values. After five executions the driver's
     * prepared statements switch to a generic plan made on the statistics of the moment; inside a run that fills the
     * tables, that plan was a nested loop over all of {@code record_state} (21 s for one batch instead of 58 ms).
     * Call inside a transaction; H2 needs nothing.
     */
    public void planEachStatement() {
        if (vendor == Vendor.POSTGRESQL) {
            ctx.execute("set local plan_cache_mode = force_custom_plan");
        }
    }

    /**
     * Refreshes the planner's statistics after bulk writes inside a run's transaction. PostgreSQL plans the derive and
     * membership queries on row estimates; tables filled in the same transaction still look empty to it, and a nested
     * loop chosen for "1 row" turned a 600-row membership update into seconds. H2 needs nothing.
     */
    public void refreshStatistics() {
        statistics.refresh(CLEVER_RECORD, CLEVER_ENROLLMENT, RECORD_STATE, ACCOUNT, CLASSROOM, CLASSROOM_MEMBERSHIP);
    }

    /** {@link #refreshStatistics} for the tables the decide step writes as it goes: decisions and provisioned rows. */
    public void refreshDecisionStatistics() {
        statistics.refresh(RECORD_STATE, ACCOUNT, CLASSROOM);
    }
}
