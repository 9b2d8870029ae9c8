import { ConnectorError, ConnectorErrorCode } from '../../domain/connector-error';
import { asRecord, asString } from '../http/http-connector';
import { HttpResponse, VendorProtocol, vendorIssue } from '../http/http-transport';

/** FortiOS "already exists" error code on a CMDB POST. */
export const FORTIOS_DUPLICATE_ENTRY = '-5';

/**
 * FortiOS REST envelope: `{"status":"success"|"error","http_status":..,"error":-5,...}`. An error
 * envelope inside a 2xx is still an error.
 */
export const fortiOsProtocol: VendorProtocol = {
  classify(response: HttpResponse) {
    const body = asRecord(response.json);
    if (response.status < 300 && body.status === 'error') {
      const code = asString(body.error);
      return new ConnectorError(ConnectorErrorCode.VendorError, 'FortiOS answered with an error envelope', {
        vendorStatus: response.status,
        ...(code !== undefined ? { vendorCode: code } : {}),
        retryable: false,
      });
    }
    return undefined;
  },
  describeError(response: HttpResponse) {
    const body = asRecord(response.json);
    return vendorIssue(asString(body.error), asString(body.cli_error) ?? asString(body.message));
  },
};

export function fortiOsErrorCode(response: HttpResponse): string | undefined {
  return asString(asRecord(response.json).error);
}

/** First element of `results`, which is an array for a GET by name. */
export function firstResult(response: HttpResponse): Record<string, unknown> {
  const results = asRecord(response.json).results;
  return asRecord(Array.isArray(results) ? results[0] : results);
}
