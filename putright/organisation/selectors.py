def organisation_name() -> str:
    return "PutRight"
