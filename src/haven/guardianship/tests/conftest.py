from haven.cases.tests.chain import nl_org, nl_people, people  # noqa: F401
from haven.cases.tests.fixtures import *  # noqa: F403
