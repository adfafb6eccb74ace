// The outreach area's schema files, imported once from schema/index.ts.
import './publicity.ts';
import './visits.ts';
import './surveys.ts';
import './volunteers.ts';
import './drills.ts';
