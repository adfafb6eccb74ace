// Learning's part of the subgraph: courses and banks, exams, attempts and certificates.
import './courses.ts';
import './exams.ts';
