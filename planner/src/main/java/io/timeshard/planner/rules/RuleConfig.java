package io.timeshard.planner.rules;

import java.util.function.Function;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.RelBuilderFactory;

/**
 * A hand-written {@link RelRule.Config} (Calcite's own rules generate theirs with Immutables). Rules
 * build with a RelBuilder that neither simplifies expressions (it would fold or rewrite PostgreSQL
 * expressions by Calcite's semantics, e.g. OR of equalities into SEARCH) nor merges duplicate
 * aggregate calls (partial states are named one by one). Immutable.
 */
record RuleConfig(RelBuilderFactory relBuilderFactory, String description, RelRule.OperandTransform operandSupplier,
                  Function<RuleConfig, RelOptRule> factory) implements RelRule.Config {
    static final RelBuilderFactory BUILDER = RelBuilder.proto(Contexts.of(
            RelBuilder.Config.DEFAULT.withSimplify(false).withDedupAggregateCalls(false).withPruneInputOfAggregate(false)));

    static RuleConfig of(String description, RelRule.OperandTransform operands, Function<RuleConfig, RelOptRule> factory) {
        return new RuleConfig(BUILDER, description, operands, factory);
    }

    @Override
    public RelOptRule toRule() {
        return factory.apply(this);
    }

    @Override
    public RelRule.Config withRelBuilderFactory(RelBuilderFactory f) {
        return new RuleConfig(f, description, operandSupplier, factory);
    }

    @Override
    public RelRule.Config withDescription(String d) {
        return new RuleConfig(relBuilderFactory, d, operandSupplier, factory);
    }

    @Override
    public RelRule.Config withOperandSupplier(RelRule.OperandTransform t) {
        return new RuleConfig(relBuilderFactory, description, t, factory);
    }
}
