import type { OutboxRelay } from '@firegov/events';
import type { RegistryLookup } from '@firegov/registry';
import type { TrainingEvidence } from '../domain/compliance.ts';
import type { TrainingModels } from '../store/models.ts';

/**
 * Certificates as the compliance rules need them: for these people (and courses), the ones that
 * count at `at`. The learning area's certificate service provides it; tests may pass a stand-in.
 */
export interface CertificateSource {
  validFor(personIds: readonly string[], courseIds: readonly string[] | undefined, at: Date): Promise<TrainingEvidence[]>;
}

export interface PeopleDeps {
  models: TrainingModels;
  registry: RegistryLookup;
  relay: OutboxRelay;
  now: () => Date;
  certificates: CertificateSource;
}
