/** The routing of the mechanism as data, its load-time check, and the pure routing function. */
export type { RecipientRule, RouteCondition, RouteDeclaration, RoutingFactName, RoutingTable } from './route-declaration';
export { declaredRoutes, routingTable } from './routing-table';
export { checkRoutingTable, loadRoutingTable, type TableProblem } from './check-table';
export { isInstitutionPattern, matchesAny, matchesPattern } from './institution-pattern';
export { checkAddressing, checkRouting, route, type RoutableMessage, type RoutingDecision, type RoutingFacts } from './route';
