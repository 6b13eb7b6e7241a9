// The CMM-style machine learning maturity framework of Akkiraju et al. ("Characterizing machine learning
// process: A maturity framework", IBM) as data: the Appendix A snippet, one topic per capability row, on
// levels Initial … Optimizing. Statements paraphrase the appendix cells in our own words.
import type { Framework } from "../framework.js";

const PAPER = "Akkiraju et al., Characterizing machine learning process: A maturity framework";

export const ML_CMM: Framework = {
  id: "ml-cmm",
  name: "ML Maturity Framework (Akkiraju et al.)",
  source:
    "R. Akkiraju, V. Sinha, A. Xu, J. Mahmud, P. Gundecha, Z. Liu, X. Liu, J. Schumacher (IBM Watson, IBM Almaden Research Center): " +
    "Characterizing machine learning process: A maturity framework, Appendix A",
  // §II: the five process maturity levels of Humphrey's software CMM, reinterpreted for ML.
  levels: [
    { value: 1, name: "Initial" },
    { value: 2, name: "Repeatable" },
    { value: 3, name: "Defined" },
    { value: 4, name: "Managed" },
    { value: 5, name: "Optimizing" },
  ],
  areas: [
    {
      id: "ai-model-goal-setting",
      name: "AI Model Goal Setting",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "target-scope-and-purpose",
          name: "Target Scope and Purpose",
          role: "Offering Manager",
          source: `${PAPER}, Appendix A; cf. §III.1 and §VIII`,
          statements: {
            "1": "The model's scope is vague ('build world-class models'), with no word on which industries, users or data it serves.",
            "2": "Goals are informal, such as a target accuracy on any data with no idea whether it is reachable; scope and targets still lack clarity and rigour.",
            "3": "The organisation accepts that a clear scope matters; use cases, industries and user needs and perspectives start to be considered.",
            "4": "Goals and targets are rescoped proactively after every iteration and the model's purpose is communicated to clients and users, so everyone knows what to expect.",
            "5": "Purpose and goals are explicit and tracked with tooling; training data and known biases are disclosed to clients, and what the model is not for is as clear as what it is for.",
          },
        },
      ],
    },
    {
      id: "data-pipeline-management",
      name: "Data Pipeline Management",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "data-annotation",
          name: "Data Annotation",
          role: "Data Manager",
          source: `${PAPER}, Appendix A; cf. §IV`,
          statements: {
            "1": "A first version of annotation guidelines exists.",
            "2": "All annotation teams follow the same annotation procedures.",
            "3": "Annotation tasks are graded by difficulty and divided between subject-matter experts and non-expert annotators accordingly.",
            "4": "Data scientists and annotators share a routine feedback loop; machine learning pre-annotates data to save human effort, and work is balanced between human and machine annotation.",
            "5": "Annotation cost is optimised against outcome, and guidelines are updated promptly as AI models bring new requirements.",
          },
        },
      ],
    },
    {
      id: "feature-preparation-pipeline",
      name: "Feature Preparation Pipeline",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "externalized-feature-processing-pipeline",
          name: "Externalized feature processing pipeline",
          role: "Train Lead",
          source: `${PAPER}, Appendix A; cf. §V and §VI`,
          statements: {
            "1": "Feature processing is not a module of its own and is partly mixed into data preparation; train and test may compute features with different steps or order.",
            "2": "Feature processing is a separate module but not externalised, so the same code is duplicated in the train and test pipelines.",
            "3": "The feature processing module is externalised and shared by train and test, which keeps maintenance cheap, but its effect on response time is ignored.",
            "4": "The response-time cost of externalisation is well understood, though keeping it low may have meant dropping important features.",
            "5": "Other measures, such as a faster and more efficient feature extraction implementation, keep the cost of externalisation minimal.",
          },
        },
      ],
    },
    {
      id: "train-pipeline-management",
      name: "Train Pipeline Management",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "modularizing-train-code",
          name: "Modularizing Train code",
          role: "Train Lead",
          source: `${PAPER}, Appendix A; cf. §VI`,
          statements: {
            "1": "How training code is structured is up to each data scientist.",
            "2": "Basic guidelines ask data scientists to keep feature engineering and training in separate modules.",
            "3": "The data science team publishes and discusses best practices.",
            "4": "Training code and the model pipeline go through an established review process.",
            "5": "A shared repository holds reusable feature extraction modules and training frameworks, and data scientists regularly try other feature sets and training modules to improve models.",
          },
        },
      ],
    },
    {
      id: "test-pipeline-management",
      name: "Test Pipeline management",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "test-metrics-and-goals",
          name: "Test Metrics and Goals",
          role: "Test Lead",
          source: `${PAPER}, Appendix A; cf. §VII`,
          statements: {
            "1": "Testing has no metrics or goals.",
            "2": "Tests use only summary metrics such as precision, recall, accuracy or F-measure, and the only goal is higher accuracy.",
            "3": "The test lead sets several test goals and picks several test metrics by hand.",
            "4": "Test goals address the model's particular concerns, and test metrics are defined and refined for broad coverage.",
            "5": "Test goals are tailored to domain-specific problems of high market value, and test metrics reflect the domain and scope the model will be deployed in.",
          },
        },
      ],
    },
    {
      id: "model-quality-performance-and-model-management",
      name: "Model Quality, Performance and Model Management",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "quality-metrics-measurement",
          name: "Quality metrics measurement",
          role: "Quality Assurance Lead",
          source: `${PAPER}, Appendix A`,
          statements: {
            "1": "Model quality is not measured.",
            "2": "Someone reads the model's output for a handful of test cases to judge whether it is good.",
            "3": "A well-defined set of metrics measures model quality.",
            "4": "Model quality is measured automatically against well-defined metrics.",
            "5": "Purpose-built tools measure model quality against well-defined metrics.",
          },
        },
      ],
    },
    {
      id: "model-error-analysis",
      name: "Model Error Analysis",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "error-categorization",
          name: "Error Categorization",
          role: "Quality Assurance Lead",
          source: `${PAPER}, Appendix A; cf. §VIII`,
          statements: {
            "1": "Errors are summed up only by single-number metrics such as precision and recall.",
            "2": "Errors are categorised with traditional means such as a confusion matrix.",
            "3": "Processes define how well existing datasets cover testing and set up a user-defined error taxonomy.",
            "4": "Errors are sorted into severity levels automatically, so effort goes to the critical errors of the AI application first.",
            "5": "Errors are prioritised by user-defined type, data-driven metrics and severity, classified into those types automatically, and grouped by data features (e.g. topic or sentence length for a text model).",
          },
        },
      ],
    },
    {
      id: "model-fairness-trust",
      name: "Model Fairness & Trust",
      source: `${PAPER}, Appendix A`,
      topics: [
        {
          id: "undesirable-bias-awareness",
          name: "Undesirable bias awareness",
          role: "AI Operations Manager",
          source: `${PAPER}, Appendix A; cf. §VIII`,
          statements: {
            "1": "The organisation does not know that any kind of bias exists.",
            "2": "Only a predefined list of explicit biases (such as gender, age or race) is known; other explicit biases and implicit bias go unnoticed.",
            "3": "A broad range of explicit biases beyond the predefined list is recognised, but implicit bias is not.",
            "4": "Both explicit and implicit biases are recognised.",
            "5": "Explicit and implicit biases are recognised, and the risk of bias exposure is quantified automatically and reported to stakeholders.",
          },
        },
      ],
    },
  ],
};
