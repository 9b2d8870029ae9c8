// Local stand-ins for the vendor APIs the connectors speak (PAN-OS, FortiGate, CrowdStrike, MDE,
// Okta, Slack and JSON webhooks), for tests and `npm run fakes`. Test support only: production
// code never imports this library.

export type { FakeFault, FakeHandler, FakeRequest, FakeResponse } from './fake-server';
export { bearerToken, FakeServer, FakeTokenIssuer } from './fake-server';
export type { CrowdStrikeFakeOptions, FakeFalconDevice } from './crowdstrike.fake';
export { CrowdStrikeFake } from './crowdstrike.fake';
export type { FakeSslVpnSession, FortiGateFakeOptions } from './fortigate.fake';
export { FortiGateFake } from './fortigate.fake';
export type { FakeMachine, FakeMachineAction, MdeFakeOptions } from './mde.fake';
export { MdeFake } from './mde.fake';
export type { FakeOktaUser, OktaFakeOptions } from './okta.fake';
export { OktaFake } from './okta.fake';
export type { PanOsFakeOptions } from './panos.fake';
export { PanOsFake } from './panos.fake';
export type { ReceivedMessage, WebhookFakeOptions } from './webhook.fake';
export { WebhookFake } from './webhook.fake';
export type { FakeConnector, Registration, RunningFake, StartFakesOptions } from './start-fakes';
export { registerFakeConnectors, startAllFakes } from './start-fakes';
export type { TestRuntime } from './test-runtime';
export { FAKES_EGRESS_ALLOW, fakesEgress, testResilience, testRuntime } from './test-runtime';
