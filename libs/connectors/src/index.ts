// Public surface of the connectors library: capability interfaces, the error and outcome types,
// the registry that builds adapters from stored instances, the secret box for their credentials,
// and the vendor fakes (for other libraries' tests and `npm run fakes`).

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
export type { RetryPolicy } from './domain/retry-policy';
export { DEFAULT_RETRY_POLICY } from './domain/retry-policy';
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
export { TemplateRenderer } from './infrastructure/notify/template-renderer';
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

export type { FakeFault } from './testing/fake-server';
export { FakeServer } from './testing/fake-server';
export { CrowdStrikeFake } from './testing/crowdstrike.fake';
export { FortiGateFake } from './testing/fortigate.fake';
export { MdeFake } from './testing/mde.fake';
export { OktaFake } from './testing/okta.fake';
export { PanOsFake } from './testing/panos.fake';
export { WebhookFake } from './testing/webhook.fake';
export { startAllFakes } from './testing/start-fakes';
