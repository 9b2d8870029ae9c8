export {
  type Diagnostic,
  type DiagnosticSeverity,
  formatDiagnostic,
  hasErrors,
  sortByLine,
} from './diagnostic';
export { type FieldIssue, fieldIssues, furthestAlternative, type SchemaIssue } from './field-issues';
export {
  diagnosticInYaml,
  type ParsedYamlFile,
  parseYamlFile,
  type YamlFile,
  type YamlFinding,
} from './yaml-file';
export { formatYamlPath, locateInYaml, positionInYaml, valueAtPath } from './yaml-locations';
export type { PathSegment } from './yaml-locations';
