import { addSharedTypes } from '@firegov/service';
import { builder } from './builder.ts';

export { dropNulls, enumValues } from '@firegov/service';

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);

export { PAGE_MAX, pageSize } from '@firegov/service';
