/**
 * The value a one-hot input takes for a row's own category: 1/√2 instead of 1, so two rows
 * whose categories differ are at squared distance 1 from each other in that column — as far as
 * one standard deviation apart in one standardised numeric column.
 *
 * Why: at 0/1 a category change costs a squared distance of 2, and k-means and the silhouette
 * treat the discrete gap between categories as cluster structure: one random `city` of 3 values
 * next to three standardised numeric columns cut a table of 3 customer segments into 9-10
 * clusters by city (trial s19 D2). Mixed-data clustering weighs categories against numbers
 * with a constant of this kind: k-prototypes adds γ per mismatch to the squared distance (Huang
 * 1998 suggests γ of about 1/3 to 2/3 of the numeric columns' standard deviation, so 1/3-2/3 for
 * standardised columns; the kmodes package's default is 0.5 σ, 0.5 here). With indicators of
 * value w a mismatch costs 2w², so w = 1/√2 is γ = 1 in squared standardised units: above
 * Huang's range (and below 0/1's γ = 2). Those sources give the kind of constant, not its value;
 * the value is chosen by the measurements (README "Categorical columns"): trial5's
 * customers k = auto 10 → 2 (ARI 0.37 → 0.55), Palmer penguins at k = 3 (Island and Sex
 * categorical) ARI 0.59 → 0.74, the other tables equal; γ = 0.5 σ (w = 0.5) lost on penguins
 * without Sex (0.90 → 0.79), FAMD's 1/√p scaling and pandas' get_dummies + StandardScaler
 * weigh categories more, not less (customers k = 10 under both).
 *
 * NEON is unaffected in kind: the indicator is an input like any other, each category's
 * relevance is still its input's, and a column's relevance the sum over its categories.
 * Model files store the value (`indicator`); files without it were written with 1.
 */
export const CATEGORY_INDICATOR = Math.SQRT1_2;
