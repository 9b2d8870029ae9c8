// Public surface of the connectors library: capability interfaces, the error and outcome types,
// the registry that builds adapters from stored instances, the secret box for their credentials,
// the Nest modules with the use cases for connector instances, and the ConnectorOperations port
// through which the containment lifecycle (@rampart/containment) reaches vendors.
// The vendor fakes live in @rampart/vendor-fakes (test support, never imported by production code).

export type { ActionOutcome, OperationOptions } from './domain/action-outcome';
export { isValidIdempotencyKey } from './domain/action-outcome';
export type { Capability, ConnectorIdentity } from './domain/capability';
export { CAPABILITIES, ConnectorBase } from './domain/capability';
export type { CircuitBreakerOptions, CircuitState } from './domain/circuit-breaker';
export { CircuitBreaker, DEFAULT_CIRCUIT_BREAKER } from './domain/circuit-breaker';
export type { ConnectorErrorInit, ConnectorIssue } from './domain/connector-error';
export { ConnectorError, ConnectorErrorCode, isConnectorError } from './domain/connector-error';
export type { ConnectorInstance, ConnectorType } from './domain/connector-instance';
export { CONNECTOR_CAPABILITY, CONNECTOR_TYPES } from './domain/connector-instance';
export type { ContainmentState, ContainmentStatus, EdrHost, HostQuery } from './domain/edr-connector';
export { EdrConnector } from './domain/edr-connector';
export type { BlockOptions, BlockState } from './domain/firewall-connector';
export { FirewallConnector } from './domain/firewall-connector';
export type { NetworkTarget } from './domain/network-target';
export { parseNetworkTarget } from './domain/network-target';
export type { NotifyMessage } from './domain/notify-connector';
export { NotifyConnector } from './domain/notify-connector';
export type { ConnectorRetryPolicy } from './domain/retry-policy';
export { DEFAULT_CONNECTOR_RETRY_POLICY } from './domain/retry-policy';
export type { SessionList, VpnSession } from './domain/vpn-connector';
export { VpnConnector } from './domain/vpn-connector';

export type { AnyConnector, ConnectorDeps } from './application/connector-registry';
export {
  createConnector,
  createEdrConnector,
  createFirewallConnector,
  createNotifyConnector,
  createVpnConnector,
  validateConnectorInstance,
} from './application/connector-registry';

export type { ConnectorRuntime, ResilienceOptions } from './infrastructure/http/runtime';
export { DEFAULT_TIMEOUT_MS } from './infrastructure/http/runtime';
export { ConnectorSecretBox } from './infrastructure/secret-box';
export type { CrowdStrikeSettings } from './infrastructure/crowdstrike/crowdstrike-edr.adapter';
export { CrowdStrikeEdrAdapter } from './infrastructure/crowdstrike/crowdstrike-edr.adapter';
export type {
  FortiGateBlockMode,
  FortiGateFirewallSettings,
} from './infrastructure/fortigate/fortigate-firewall.adapter';
export { FortiGateFirewallAdapter } from './infrastructure/fortigate/fortigate-firewall.adapter';
export type { FortiGateSslVpnSettings } from './infrastructure/fortigate/fortigate-sslvpn.adapter';
export { FortiGateSslVpnAdapter } from './infrastructure/fortigate/fortigate-sslvpn.adapter';
export type { MdeSettings } from './infrastructure/mde/mde-edr.adapter';
export { MdeEdrAdapter } from './infrastructure/mde/mde-edr.adapter';
export type { SlackSettings } from './infrastructure/notify/slack-notify.adapter';
export { SlackNotifyAdapter } from './infrastructure/notify/slack-notify.adapter';
export type { WebhookSettings } from './infrastructure/notify/webhook-notify.adapter';
export { WebhookNotifyAdapter } from './infrastructure/notify/webhook-notify.adapter';
export type { OktaSettings } from './infrastructure/okta/okta-vpn.adapter';
export { OktaVpnAdapter } from './infrastructure/okta/okta-vpn.adapter';
export type { PanOsSettings } from './infrastructure/panos/panos-firewall.adapter';
export { PanOsFirewallAdapter } from './infrastructure/panos/panos-firewall.adapter';

export { ConnectorsHttpModule, ConnectorsModule } from './connectors.module';
export type { ContainmentOperation, TargetKind } from './domain/containment-operation';
export {
  capabilityOf,
  CONTAINMENT_OPERATIONS,
  isContainmentOperation,
  isReversible,
  MAX_EXPIRY_SECONDS,
  normalizeTarget,
  operationsOf,
  targetKindOf,
  undoOperationOf,
} from './domain/containment-operation';
export type { ConnectorSource } from './domain/connector-instance';
export { CONNECTOR_NAME_PATTERN } from './domain/connector-instance';
export { ConnectorInstanceError, ConnectorInstanceErrorCode } from './domain/connector-instance-error';
export type { ActionFailureInfo, VendorErrorView } from './application/action-failure';
export { errorView } from './application/action-failure';
export type { ConnectorRef, VendorCallResult, VendorStateResult } from './application/connector-operations';
export { ConnectorOperations } from './application/connector-operations';
export type {
  ActionSubject,
  OperationCall,
  VendorObservation,
  VendorState,
} from './application/operation-dispatch';
export type { ConnectorDefinition, ConnectorInstanceView } from './application/connector-definition';
export { ConnectorInstanceQueries } from './application/connector-instance-queries';
export { CreateConnectorInstanceUseCase } from './application/create-connector-instance.use-case';
export type { UpdateConnectorInstanceCommand } from './application/update-connector-instance.use-case';
export { UpdateConnectorInstanceUseCase } from './application/update-connector-instance.use-case';
export { CheckConnectorUseCase, type ConnectorCheck } from './application/check-connector.use-case';
export { DeleteConnectorInstanceUseCase } from './application/delete-connector-instance.use-case';
export type { CompiledConnectorsFile, ConnectorsFileDiagnostic } from './application/compile-connectors-file';
export {
  compileConnectorsFile,
  ConnectorsFileDiagnosticCode,
  formatConnectorsFileDiagnostic,
} from './application/compile-connectors-file';
export type {
  LoadConnectorsFileCommand,
  LoadConnectorsFileResult,
} from './application/load-connectors-file.use-case';
export { LoadConnectorsFileUseCase } from './application/load-connectors-file.use-case';
export {
  createConnectorBody,
  updateConnectorBody,
} from './infrastructure/api/connector-instances.controller';
