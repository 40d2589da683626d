from haven.cases.tests.fixtures import *  # noqa: F403
