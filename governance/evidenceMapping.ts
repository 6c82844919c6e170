import type { EvidenceMappingRow } from "./evidenceModel.js";

/**
 * Which CQC quality statements and commissioner questions each part of the pack supports. CQC's single
 * assessment framework names the quality statements; commissioners ask three things of a go-live: were the risks
 * controlled, were staff supported, was continuity of care protected.
 */
export const CQC = {
  governance: "Well-led: Governance, management and sustainability",
  learning: "Safe: Learning culture",
  transitions: "Safe: Safe systems, pathways and transitions",
  staffing: "Safe: Safe and effective staffing",
} as const;

export const COMMISSIONER = {
  risks: "How were go-live risks controlled?",
  staff: "How were staff supported?",
  continuity: "How was continuity of care protected?",
} as const;

export const EVIDENCE_MAPPING: readonly EvidenceMappingRow[] = [
  {
    section: "Timeline of phases and decisions",
    sectionId: "timeline",
    file: "timeline.csv",
    cqc: [CQC.governance],
    commissioner: [COMMISSIONER.risks, COMMISSIONER.continuity],
  },
  {
    section: "Readiness decision file and minutes",
    sectionId: "decisions",
    file: "board-decisions.csv",
    cqc: [CQC.governance, CQC.transitions],
    commissioner: [COMMISSIONER.risks],
  },
  {
    section: "Conditions of approval",
    sectionId: "conditions",
    file: "conditions.csv",
    cqc: [CQC.governance],
    commissioner: [COMMISSIONER.risks],
  },
  {
    section: "Readiness checklist and go-live support plan",
    sectionId: "checklist",
    file: "readiness-checklist.csv",
    cqc: [CQC.transitions],
    commissioner: [COMMISSIONER.continuity, COMMISSIONER.staff],
  },
  {
    section: "Training evidence",
    sectionId: "training",
    file: "training.csv",
    cqc: [CQC.staffing, CQC.transitions],
    commissioner: [COMMISSIONER.staff],
  },
  {
    section: "Assurance log",
    sectionId: "assurance",
    file: "assurance-log.csv",
    cqc: [CQC.transitions, CQC.governance],
    commissioner: [COMMISSIONER.risks, COMMISSIONER.continuity],
  },
  {
    section: "Go-live command log",
    sectionId: "command-log",
    file: "command-log.csv",
    cqc: [CQC.learning, CQC.transitions],
    commissioner: [COMMISSIONER.risks, COMMISSIONER.staff],
  },
  {
    section: "Temporary controls",
    sectionId: "controls",
    file: "temporary-controls.csv",
    cqc: [CQC.transitions],
    commissioner: [COMMISSIONER.risks, COMMISSIONER.continuity],
  },
  {
    section: "Time to temporary control and time to closure",
    sectionId: "issue-times",
    file: "issue-times.csv",
    cqc: [CQC.governance, CQC.learning],
    commissioner: [COMMISSIONER.risks],
  },
  {
    section: "Daily decisions",
    sectionId: "daily-decisions",
    file: "daily-decisions.csv",
    cqc: [CQC.governance, CQC.learning],
    commissioner: [COMMISSIONER.staff, COMMISSIONER.risks],
  },
  {
    section: "Stabilisation audits",
    sectionId: "audits",
    file: "audits.csv",
    cqc: [CQC.governance, CQC.learning],
    commissioner: [COMMISSIONER.continuity],
  },
  {
    section: "Staff confidence",
    sectionId: "confidence",
    file: "staff-confidence.csv",
    cqc: [CQC.staffing, CQC.learning],
    commissioner: [COMMISSIONER.staff],
  },
  {
    section: "Unresolved risks",
    sectionId: "risks",
    file: "risks.csv",
    cqc: [CQC.governance],
    commissioner: [COMMISSIONER.risks],
  },
  {
    section: "Stabilisation report",
    sectionId: "stabilisation-report",
    file: "stabilisation-report.csv",
    cqc: [CQC.governance, CQC.learning],
    commissioner: [COMMISSIONER.continuity, COMMISSIONER.risks],
  },
  {
    section: "SLT decisions",
    sectionId: "slt-decisions",
    file: "slt-decisions.csv",
    cqc: [CQC.governance],
    commissioner: [COMMISSIONER.continuity],
  },
  {
    section: "Follow-up audit schedule",
    sectionId: "follow-ups",
    file: "follow-up-schedule.csv",
    cqc: [CQC.governance, CQC.learning],
    commissioner: [COMMISSIONER.continuity],
  },
];
