/**
 * What a client is told when a subgraph gave no answer: which subgraph, and whether it was too slow
 * (504) or unreachable or broken (502). Never its address or the request the gateway sent it: the
 * address is internal, and the request's variables may hold personal data. The cause is logged.
 */
export function subgraphFailure(serviceName: string, timedOut: boolean) {
  return timedOut
    ? {
        message: `subgraph ${serviceName} did not answer in time`,
        extensions: { code: 'GATEWAY_TIMEOUT', serviceName, http: { status: 504 } },
      }
    : {
        message: `subgraph ${serviceName} did not answer`,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName, http: { status: 502 } },
      };
}
