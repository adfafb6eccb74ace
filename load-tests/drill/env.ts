import { loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

const port = z.coerce.number().int().min(1024).max(65535);

/** The fault drill's environment (`npm run drill`, load-tests/drill/run.ts). */
export const drillEnv = () =>
  loadEnvOrExit(
    z.object({
      /** Units of the synthetic demo county the drill's platform loads; pushes go to its first township's. */
      DRILL_UNITS: z.coerce.number().int().min(50).max(20_000).default(300),
      /**
       * Assessment pushes per second, held through every fault: 10/s is 36,000 an hour, far above a
       * county's day of pushes. At most 30: entities remembers a unit's last 200 applied events, and
       * faster, a drill unit would see more than that (each push and its hazards), so grades applied
       * would be counted as missing.
       */
      DRILL_RATE: z.coerce.number().min(1).max(30).default(10),
      /** Seconds of steady load before the first fault and after each one. */
      DRILL_STEADY_S: z.coerce.number().int().min(2).max(600).default(10),
      /** How long consumers may take, once the load ends, to apply every accepted push. */
      DRILL_CATCHUP_S: z.coerce.number().int().min(10).max(3600).default(120),
      /** The drill's own stack listens here, away from the stack `npm start` uses. */
      DRILL_KAFKA_PORT: port.default(19092),
      DRILL_KAFKA_CONTROLLER_PORT: port.default(19093),
      DRILL_MONGO_PORT: port.default(27117),
      DRILL_REDIS_PORT: port.default(16379),
    }),
  );
