import { Injectable } from '@nestjs/common';

import { Egress } from '@rampart/egress';
import { TemplateRenderer } from '@rampart/templates';

import { ConnectorInstance } from '../domain/connector-instance';
import { ConnectorSecretBox } from '../infrastructure/secret-box';
import { StoredConnectorInstance } from './connector-instance-store';
import { AnyConnector, createConnector } from './connector-registry';

/**
 * Builds the adapter for a stored instance: opens its credentials and goes through the registry.
 * Adapters are kept per instance version, so token caches and circuit breakers live across calls;
 * an update builds a fresh one.
 */
@Injectable()
export class ConnectorResolver {
  private readonly adapters = new Map<string, { sealed: string; connector: AnyConnector }>();
  private readonly renderer = new TemplateRenderer();

  constructor(
    private readonly secrets: ConnectorSecretBox,
    private readonly egress: Egress,
  ) {}

  /** Throws ConnectorError (`auth_failed` for credentials that do not open, `invalid_request` for bad configuration). */
  connectorFor(stored: StoredConnectorInstance): AnyConnector {
    // Every write re-seals with a fresh IV, so the sealed text identifies the instance's version.
    const cached = this.adapters.get(stored.id);
    if (cached && cached.sealed === stored.credentialsSealed) return cached.connector;
    const instance: ConnectorInstance = {
      id: stored.id,
      name: stored.name,
      type: stored.type,
      capability: stored.capability,
      baseUrl: stored.baseUrl,
      credentials: this.secrets.open(stored.id, stored.credentialsSealed),
      options: stored.options,
    };
    const connector = createConnector(instance, {
      renderer: this.renderer,
      runtime: { egress: this.egress },
    });
    this.adapters.set(stored.id, { sealed: stored.credentialsSealed, connector });
    return connector;
  }
}
