package io.timeshard.accessnode.session;

/**
 * Parameters of an extended-protocol execution, exactly as the client bound them; they are passed on
 * to the access node database unchanged when it evaluates a statement for us.
 *
 * @param types   parameter type OIDs from Parse (0 = unspecified), never null
 * @param formats parameter format codes as in Bind (0, 1 or one per parameter), never null
 * @param values  parameter values, null elements are SQL NULL, never null
 */
public record BoundParameters(int[] types, short[] formats, byte[][] values) {
    /** No parameters (simple query protocol). */
    public static final BoundParameters NONE = new BoundParameters(new int[0], new short[0], new byte[0][]);

    /** @return true when the statement has parameters */
    public boolean any() {
        return values.length > 0;
    }
}
