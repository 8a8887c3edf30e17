"""Error codes the directory's services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class DirectoryErrorCode(StrEnum):
    OWN_PARENT = "own_parent"
    """A jurisdiction or agency would enclose itself."""
    LEAD_AGENCY_AS_MEMBER = "lead_agency_as_member"
    """The lead agency of a task force cannot also be listed as a member."""
    AGENCY_NOT_IN_TASK_FORCE = "agency_not_in_task_force"
    """The person's agency does not take part in the task force."""
    LIAISON_OF_OTHER_AGENCY = "liaison_of_other_agency"
    """A liaison can only represent the agency they work for."""
    POSSIBLE_DUPLICATE = "possible_duplicate"
    """The person looks like someone already in the agency (same badge, e-mail or name);
    send again with ``confirm_different_person`` if it is someone else."""
