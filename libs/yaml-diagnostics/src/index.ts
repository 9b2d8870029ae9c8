export { formatYamlPath, locateInYaml, sortByLine, valueAtPath } from './yaml-locations';
export type { PathSegment } from './yaml-locations';
