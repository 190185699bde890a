"""Who may change what: Git accounts → units, read from the roster (taskforce.yaml).

Accounts are GitHub logins, which are case-insensitive, so they are compared lower-cased.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Ownership:
    office_unit: str | None
    office_accounts: list[str] = field(default_factory=list)  # as written, first seen first
    unit_accounts: dict[str, list[str]] = field(default_factory=dict)  # unit → accounts, as written
    office_people: set[str] = field(default_factory=set)
    unit_people: dict[str, set[str]] = field(default_factory=dict)  # unit → person ids
    account_people: dict[str, set[str]] = field(default_factory=dict)  # lower-cased account → person ids

    def is_office(self, account: str) -> bool:
        return account.lower() in {a.lower() for a in self.office_accounts}

    def units_of(self, account: str) -> set[str]:
        key = account.lower()
        return {u for u, accs in self.unit_accounts.items() if key in {a.lower() for a in accs}}

    def is_known(self, account: str) -> bool:
        return self.is_office(account) or bool(self.units_of(account))

    def may_sign_for(self, person: str, unit: str) -> bool:
        """A person may record an amendment of a unit's return: one of its own people or the office."""
        return person in self.unit_people.get(unit, set()) or person in self.office_people

    def people_of(self, account: str) -> set[str]:
        """The people whose git_accounts list this account (an office-wide account belongs to no one)."""
        return self.account_people.get(account.lower(), set())


def _add(bucket: list[str], accounts) -> None:
    for a in accounts or []:
        if isinstance(a, str) and a and a.lower() not in {b.lower() for b in bucket}:
            bucket.append(a)


def ownership(taskforce: dict) -> Ownership:
    """Build the ownership map. Office accounts: office.git_accounts, plus the accounts of the office
    unit's people and of the people the roster names as the office's director, deputies and staff."""
    office = taskforce.get("office") or {}
    own = Ownership(office_unit=office.get("unit"))
    _add(own.office_accounts, office.get("git_accounts"))
    named = {office.get("director"), *(office.get("deputy_directors") or []), *(office.get("staff") or [])}
    for person in taskforce.get("people") or []:
        pid, unit = person.get("id"), person.get("unit")
        for a in person.get("git_accounts") or []:
            if isinstance(a, str) and a:
                own.account_people.setdefault(a.lower(), set()).add(pid)
        if pid in named or (unit and unit == own.office_unit):
            own.office_people.add(pid)
            _add(own.office_accounts, person.get("git_accounts"))
        elif unit:
            own.unit_people.setdefault(unit, set()).add(pid)
            _add(own.unit_accounts.setdefault(unit, []), person.get("git_accounts"))
    return own
