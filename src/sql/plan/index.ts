// Public surface of sql/plan: cost-based physical planning and EXPLAIN.
export * from './plan-nodes.js';
export { planQuery, planFromItem, selectivity, type PlannerStats } from './planner.js';
export { explainPlan, deparseExpr } from './explain.js';
