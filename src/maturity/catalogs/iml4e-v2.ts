// The IML4E MLOps Maturity Assessment Framework V2 (IML4E Deliverable D4.4, §5.2, Tables 9–15) as data:
// 7 areas, 32 numbered topics, levels 0–4. Statements paraphrase the source tables in our own words; a
// cell the source leaves empty is left out. Topics marked "(MS)" in the source are adopted from Microsoft (2022).
import type { Framework } from "../framework.js";

const DOC = "IML4E D4.4";
const MS = "after Microsoft (2022)";

export const IML4E_V2: Framework = {
  id: "iml4e-v2",
  name: "IML4E MLOps Maturity Assessment Framework V2",
  source: "IML4E Deliverable D4.4, §5.2 (The IML4E MLOps Maturity Assessment Framework V2)",
  // §5.2.1 builds on Microsoft's five maturity levels but names them only "Level 0" … "Level 4".
  levels: [
    { value: 0, name: "Level 0" },
    { value: 1, name: "Level 1" },
    { value: 2, name: "Level 2" },
    { value: 3, name: "Level 3" },
    { value: 4, name: "Level 4" },
  ],
  areas: [
    {
      id: "people",
      name: "People",
      source: `${DOC} §5.2.2, Table 9`,
      topics: [
        {
          id: "data-engineers",
          number: 1,
          name: "Involvement and integration of Data Analysts/Data Engineers",
          source: `${DOC} §5.2.2, Table 9, topic 1, ${MS}`,
          statements: {
            "1": "Data analysts and data engineers work in isolation and rarely talk to the rest of the team.",
            "2": "Data analysts and data engineers collaborate with the data scientists.",
            "4": "Data analysts/engineers, data scientists, software engineers and MLOps engineers jointly handle inputs and outputs in a flexible way.",
          },
        },
        {
          id: "data-scientists",
          number: 2,
          name: "Involvement and integration of Data Scientists",
          source: `${DOC} §5.2.2, Table 9, topic 2, ${MS}`,
          statements: {
            "1": "Data scientists work in isolation, without regular contact with the wider team.",
            "3": "Data scientists team up with data engineers and MLOps engineers to turn experiment code into repeatable scripts or jobs, so training and evaluation can run automatically.",
            "4": "Data scientists and software engineers together work out markers and systematic feedback for the data engineers.",
          },
        },
        {
          id: "software-engineers",
          number: 3,
          name: "Involvement and integration of Software Engineers",
          source: `${DOC} §5.2.2, Table 9, topic 3, ${MS}`,
          statements: {
            "2": "Software engineers work in isolation and are handed the model from a distance by other team members.",
            "3": "Software engineers and data scientists jointly automate the integration of the model into the application code.",
            "4": "Besides automating model integration with the data scientists, software engineers collect metrics after deployment.",
          },
        },
        {
          id: "it-operations",
          number: 4,
          name: "Involvement and integration of IT-Operations",
          source: `${DOC} §5.2.2, Table 9, topic 4`,
          statements: {
            "0": "IT operations works in isolation, without regular contact with the wider team.",
            "1": "IT operations talks regularly with software engineers to handle deploying the application code.",
            "3": "IT operations coordinates regularly with software engineers and data scientists to deploy both applications and models.",
            "4": "IT operations is in regular contact with software engineers, data scientists and data engineers, so data and software problems found in operation are fed back.",
          },
        },
        {
          id: "business-analysts-end-users",
          number: 5,
          name: "Involvement and integration of Business Analysts and End Users",
          // Split across a page break in the source: the level 1 and 3 cells survive only as fragments, and
          // their columns are placed like topic 4's (level 2 empty).
          source: `${DOC} §5.2.2, Table 9, topic 5`,
          statements: {
            "0": "Business analysts work in isolation and talk only to the data analysts/data engineers.",
            "1": "Business analysts also communicate regularly with the data scientists.",
            "3": "Business analysts additionally work with end users to collect direct feedback.",
            "4": "Business analysts talk directly with every other role, so feedback on business-related failures and issues arrives at once.",
          },
        },
      ],
    },
    {
      id: "data",
      name: "Data Gathering & Preparation",
      source: `${DOC} §5.2.3, Table 10`,
      topics: [
        {
          id: "data-pipeline-automation",
          number: 6,
          name: "Data pipeline automation",
          source: `${DOC} §5.2.3, Table 10, topic 6`,
          statements: {
            "0": "Data is collected and prepared by hand.",
            "2": "Data collection is partly automated; processing is automated in small pieces or for single steps such as cleaning or labelling.",
            "3": "The pipeline collects and prepares data automatically and processes it on request, typically in batches.",
            "4": "The pipeline collects and prepares data continuously, for example with stream processing.",
          },
        },
        {
          id: "data-reuse",
          number: 7,
          name: "Data reuse",
          source: `${DOC} §5.2.3, Table 10, topic 7`,
          statements: {
            "0": "Data is collected and prepared separately for each model or solution.",
            "2": "Collected and prepared data is shared and reused across several models or solutions.",
            "4": "Data is managed systematically for reuse, for example in dedicated feature stores.",
          },
        },
        {
          id: "data-version-control",
          number: 8,
          name: "Data version control",
          source: `${DOC} §5.2.3, Table 10, topic 8`,
          statements: {
            "0": "Data and data-related artifacts are not versioned consistently.",
            "2": "Some of the data, models and other artifacts are under version control.",
            "3": "Data and the data preparation infrastructure are version controlled.",
            "4": "Every model prediction is stored together with its input data and the version of the deployed model that training produced.",
          },
        },
        {
          id: "data-quality-assurance",
          number: 9,
          name: "Data quality assurance",
          source: `${DOC} §5.2.3, Table 10, topic 9`,
          statements: {
            "1": "Data gets basic sanity checks, such as whether values stay within simple min-max ranges.",
            "3": "Data unit tests apply predefined validation rules; data that breaks a rule is reported and investigated through a defined process.",
            "4": "Data sets are analysed continuously, for example for gaps, missing values and trends.",
          },
        },
        {
          id: "data-unit-testing",
          number: 10,
          name: "Data unit testing",
          source: `${DOC} §5.2.3, Table 10, topic 10`,
          statements: {
            "1": "Data unit tests are run only now and then.",
            "3": "Data unit tests run with tooling and start automatically for every new data set.",
            "4": "Data unit testing is fully automated and coordinated with the other MLOps activities such as data preparation, training and operations.",
          },
        },
      ],
    },
    {
      id: "model-creation",
      name: "Model Creation",
      source: `${DOC} §5.2.4, Table 11`,
      topics: [
        {
          id: "training-compute",
          number: 11,
          name: "Management level of compute during training",
          source: `${DOC} §5.2.4, Table 11, topic 11, ${MS}`,
          statements: {
            "0": "Compute for training is probably not managed at all.",
            "1": "Training runs on a managed single-node instance that is unlikely to scale.",
            "4": "Training runs on a managed multi-node cluster that scales dynamically.",
          },
        },
        {
          id: "experiment-tracking",
          number: 12,
          name: "Experiment tracking",
          source: `${DOC} §5.2.4, Table 11, topic 12, ${MS}`,
          statements: {
            "0": "Experiments are not tracked reliably.",
            "2": "Some experiments are tracked, and not every experiment can be reproduced.",
            "4": "Experiment results are recorded automatically and every experiment can be reproduced.",
          },
        },
        {
          id: "model-versioning",
          number: 13,
          name: "Model versioning",
          source: `${DOC} §5.2.4, Table 11, topic 13`,
          statements: {
            "1": "The outcome may be a single model file passed on by hand together with its inputs and outputs.",
            "3": "Training code and the resulting models are both under version control.",
            "4": "Training code and models are under version control, and retraining starts automatically from production metrics.",
          },
        },
        {
          id: "automl",
          number: 14,
          name: "Automation of hyperparameter and architecture determination, AutoML",
          source: `${DOC} §5.2.4, Table 11, topic 14`,
          statements: {
            "1": "Hyperparameters and model architecture are chosen by hand.",
            "2": "Hyperparameters and architecture are optimised automatically for a given training pipeline.",
            "3": "Hyperparameters are tuned automatically in every model iteration.",
            "4": "Hyperparameters and architecture are both determined fully automatically in every model iteration.",
          },
        },
        {
          id: "training-pipeline",
          number: 15,
          name: "Training pipeline integration and deployment",
          source: `${DOC} §5.2.4, Table 11, topic 15`,
          statements: {
            "1": "The training pipeline is integrated and deployed by hand.",
            "3": "The training pipeline is deployed continuously through CI/CD.",
            // The source repeats its level 3 cell for level 4.
            "4": "As at level 3, the training pipeline is deployed continuously through CI/CD.",
          },
        },
        {
          id: "model-debugging",
          number: 16,
          name: "Model debugging",
          source: `${DOC} §5.2.4, Table 11, topic 16`,
          statements: {
            "0": "Models are debugged only sporadically.",
            "2": "Models are debugged following a predefined strategy, with suitable tools that give insight into the model and make it transparent.",
            "4": "Debugging is part of the failure response for every failure that needs explaining and fixing, using suitable tools that give insight into the model.",
          },
        },
      ],
    },
    {
      id: "model-release",
      name: "Model Release & Application Integration",
      source: `${DOC} §5.2.5, Table 12`,
      topics: [
        {
          id: "model-evaluation",
          number: 17,
          name: "Scoring and evaluation of models",
          source: `${DOC} §5.2.5, Table 12, topic 17, ${MS}`,
          statements: {
            "1": "The scoring script and release KPIs are written by hand after experimentation and are probably under version control.",
            "4": "The scoring script and release KPIs are kept up to date continuously, version controlled and covered by tests.",
          },
        },
        {
          id: "release-responsibility",
          number: 18,
          name: "Responsibility for model release",
          source: `${DOC} §5.2.5, Table 12, topic 18, ${MS}`,
          statements: {
            "0": "A data scientist or data engineer releases the model alone.",
            "1": "The release is passed on to software engineers.",
            "2": "Software engineers and MLOps engineers manage the release together.",
            "3": "A continuous integration pipeline manages the release.",
            "4": "A CI/CD pipeline manages releases, which start automatically from training and production metrics.",
          },
        },
        {
          id: "model-testing",
          number: 19,
          name: "Testing the model",
          source: `${DOC} §5.2.5, Table 12, topic 19`,
          statements: {
            "0": "The model is not tested on its own.",
            "2": "The model has basic integration tests.",
            "4": "Every model release gets unit and integration tests.",
          },
        },
        {
          id: "release-expertise",
          number: 20,
          name: "Expertise for model release",
          source: `${DOC} §5.2.5, Table 12, topic 20, ${MS}`,
          statements: {
            "0": "Implementing and releasing the model by hand depends heavily on the data scientists' know-how.",
            "2": "Implementing the model still depends heavily on data scientists, but releases follow predefined KPIs and quality gates.",
            "4": "Less depends on data scientists: training and release are automated against dedicated KPIs and quality gates.",
          },
        },
        {
          id: "release-automation",
          number: 21,
          name: "Degree of release automation",
          source: `${DOC} §5.2.5, Table 12, topic 21`,
          statements: {
            "0": "Every release is done by hand.",
            "2": "Releases follow defined KPIs and release criteria, but integration and deployment remain manual.",
            "3": "Models are integrated continuously into the prediction pipeline (CI of the model).",
            "4": "Models are deployed continuously (CI/CD of the model).",
          },
        },
        {
          id: "prediction-pipeline-testing",
          number: 22,
          name: "Prediction pipeline testing",
          // Split across a page break in the source: columns placed by topic 21's level 2 text, which
          // continues in the same column (so level 1 is the column that went missing).
          source: `${DOC} §5.2.5, Table 12, topic 22`,
          statements: {
            "2": "The prediction pipeline is covered by unit tests.",
            "3": "The prediction pipeline is covered by unit and integration tests.",
          },
        },
        {
          id: "release-rollback",
          number: 23,
          name: "Rollback of release",
          // The source's level 4 cell is illegible in the text we have, so it is left out.
          source: `${DOC} §5.2.5, Table 12, topic 23`,
          statements: {
            "0": "A release cannot be rolled back.",
            "2": "A model can be rolled back, but only with some manual intervention.",
          },
        },
      ],
    },
    {
      id: "monitoring-testing",
      name: "Monitoring & Testing",
      source: `${DOC} §5.2.6, Table 13`,
      topics: [
        {
          id: "monitoring-scope",
          number: 24,
          name: "Monitoring scope & integration",
          source: `${DOC} §5.2.6, Table 13, topic 24`,
          statements: {
            "0": "A few technical KPIs are monitored during data preparation, training, deployment and operation.",
            "2": "Integrated monitoring covers data preparation, training and deployment systematically.",
            "4": "All relevant technical and business KPIs are monitored and controlled comprehensively in one integrated way.",
          },
        },
        {
          id: "cross-application-monitoring",
          number: 25,
          name: "Cross application monitoring",
          source: `${DOC} §5.2.6, Table 13, topic 25`,
          statements: {
            "0": "A few technical KPIs are monitored separately, for a single deployment or project only.",
            "2": "Relevant technical KPIs are monitored, possibly spanning several deployments.",
            "4": "Relevant technical and business KPIs are monitored and controlled comprehensively in an integrated way, possibly spanning several deployments.",
          },
        },
        {
          id: "test-automation",
          number: 26,
          name: "Test automation",
          source: `${DOC} §5.2.6, Table 13, topic 26`,
          statements: {
            "0": "Model and application are tested by hand.",
            "1": "Application code is tested automatically.",
            "2": "Model code is tested automatically too, and the model is tested systematically.",
            "3": "The training pipeline and the model are tested automatically.",
            "4": "An integrated test process aims at systematic test automation in every phase of training and deployment.",
          },
        },
        {
          id: "test-scope",
          number: 27,
          name: "Test scope",
          source: `${DOC} §5.2.6, Table 13, topic 27`,
          statements: {
            "0": "Application code and model are tested separately.",
            "1": "Application code and model are tested together in a systematic integration process.",
            "2": "Tests check that the model loads in production serving and predicts as expected on real data, and cover degradation over time, sudden performance drops, the model API and algorithmic correctness.",
            "3": "Dedicated test suites target performance differences between training and production, and A/B tests of model performance are part of deployment.",
            "4": "Testing covers deployment schemes such as canary or blue-green, and an integrated quality assessment combines monitoring and testing, e.g. tests for hard-to-monitor areas and extra tests when monitoring flags a problem.",
          },
        },
      ],
    },
    {
      id: "conformity-documentation",
      name: "Conformity Assessment & Documentation",
      source: `${DOC} §5.2.7, Table 14`,
      topics: [
        {
          id: "conformity-assessment",
          number: 28,
          name: "Conformity assessment",
          source: `${DOC} §5.2.7, Table 14, topic 28`,
          statements: {
            "0": "Whether the application conforms to policies and related quality attributes is checked by hand.",
            "2": "Automated tools in the CI/CD pipeline check the relevant compliance policies and quality attributes, and the training process is checked for compliance (e.g. GDPR).",
            "4": "Compliance policies and related quality attributes are audited continuously over the entire MLOps life cycle.",
          },
        },
        {
          id: "documentation",
          number: 29,
          name: "Documentation",
          source: `${DOC} §5.2.7, Table 14, topic 29`,
          statements: {
            "0": "There is no documentation.",
            "1": "Some aspects of the model are documented by hand.",
            "2": "Data and model are documented by hand.",
            "3": "Documentation is produced semi-automatically and is stored and deployed along with the model.",
            "4": "Documentation of every aspect of model and code is generated automatically, and monitoring keeps a running record of whether the KPIs are met.",
          },
        },
      ],
    },
    {
      id: "tools",
      name: "Tool Integration and Tool Strategy",
      // The caption of the last table is missing from our copy; it is Table 15 by the source's numbering.
      source: `${DOC} §5.2.8, Table 15`,
      topics: [
        {
          id: "tool-automation",
          number: 30,
          name: "Automation by tools",
          source: `${DOC} §5.2.8, Table 15, topic 30`,
          statements: {
            "0": "Tools support individual processes.",
            "2": "Tools are integrated within single phases of the MLOps life cycle, such as data preparation, training or release.",
            "4": "A fully automated tool chain supports the MLOps process.",
          },
        },
        {
          id: "tool-strategy",
          number: 31,
          name: "Tool strategy and harmonization",
          source: `${DOC} §5.2.8, Table 15, topic 31`,
          statements: {
            "0": "Tools are not harmonised.",
            "1": "Tools are harmonised across several projects.",
            "3": "Tooling is harmonised across every relevant phase: experimentation, training, deployment and operations.",
            "4": "A tool strategy keeps harmonised tooling sustainably managed across every relevant phase of the MLOps life cycle.",
          },
        },
        {
          id: "dashboards",
          number: 32,
          name: "Visualization and dashboarding",
          source: `${DOC} §5.2.8, Table 15, topic 32`,
          statements: {
            "0": "Nothing is visualised.",
            "1": "Individual visualisation techniques support data exploration, verification, validation and training.",
            "3": "Integrated dashboards guide data exploration, verification, validation and training systematically.",
            "4": "Comprehensive dashboards let business experts monitor and control technical and business KPIs.",
          },
        },
      ],
    },
  ],
};
