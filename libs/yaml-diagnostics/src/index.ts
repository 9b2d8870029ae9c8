export { type FieldIssue, fieldIssues, type SchemaIssue } from './field-issues';
export { formatYamlPath, locateInYaml, sortByLine, valueAtPath } from './yaml-locations';
export type { PathSegment } from './yaml-locations';
