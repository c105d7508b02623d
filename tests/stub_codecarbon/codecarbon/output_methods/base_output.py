"""The stub of CodeCarbon's output handler base class."""


class BaseOutput:
    def out(self, total, delta) -> None:
        pass
