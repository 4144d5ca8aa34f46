"""User management in a real Chromium, in Chinese (the default): an admin adds, promotes, resets and disables
accounts; an operator changes their own password and is refused the admin pages; a user switches to English."""

from __future__ import annotations

from tests.web.conftest import Site, sign_in
from tests.web.test_security import _status, signed_in_client


def _row(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#users tr[data-user="{name}"]')


def _submit(page, form) -> str:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        form.locator("button").click()
    return str(page.inner_text(".flash"))


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click("nav form button")


def test_admin_manages_users(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "adam")
    page.goto(f"{site.url}/users")
    form = page.locator("#add-user")
    form.locator("input[name=username]").fill("vera")
    form.locator("input[name=password]").fill("vera-first-pw")
    assert "已添加操作员 vera" in _submit(page, form)
    assert _row(page, "vera").locator("select[name=role]").input_value() == "operator"

    _row(page, "vera").locator("select[name=role]").select_option("admin")
    assert "vera 现为管理员" in _submit(page, _row(page, "vera").locator("form.role"))
    _row(page, "vera").locator("select[name=role]").select_option("operator")
    assert "vera 现为操作员" in _submit(page, _row(page, "vera").locator("form.role"))

    _row(page, "vera").locator("input[name=password]").fill("vera-reset-pw")
    assert "已为 vera 设置新密码" in _submit(page, _row(page, "vera").locator("form.password"))
    # The only admin cannot make himself an operator: the app would have no admin left.
    _row(page, "adam").locator("select[name=role]").select_option("operator")
    assert "最后一位管理员" in _submit(page, _row(page, "adam").locator("form.role"))
    assert _row(page, "adam").locator("select[name=role]").input_value() == "admin"
    assert _row(page, "adam").locator("form.state").count() == 0  # no button to disable yourself

    _sign_out(page)
    sign_in(page, site, "vera", "vera-first-pw", expect_ok=False)
    assert "用户名或密码错误" in page.inner_text(".error")
    sign_in(page, site, "vera", "vera-reset-pw")
    assert "用户管理" not in page.inner_text("nav")
    assert page.goto(f"{site.url}/users").status == 403  # operators are refused the admin pages

    # An operator changes their own password; the old one stops working.
    page.goto(f"{site.url}/account")
    own = page.locator("#own-password")
    own.locator("input[name=current]").fill("vera-reset-pw")
    own.locator("input[name=password]").fill("vera-own-pw-3")
    own.locator("input[name=repeat]").fill("vera-own-pw-3")
    assert "密码已修改" in _submit(page, own)
    assert page.goto(f"{site.url}/review").status == 200  # this session survives its own change
    _sign_out(page)
    sign_in(page, site, "vera", "vera-reset-pw", expect_ok=False)
    assert page.url.endswith("/login")
    sign_in(page, site, "vera", "vera-own-pw-3")

    # Disabling signs vera out everywhere and keeps her out; her name stays in the list.
    vera_elsewhere, _ = signed_in_client(site, "vera", "vera-own-pw-3")
    assert _status(vera_elsewhere, site.url + "/review")[0] == 200
    _sign_out(page)
    sign_in(page, site, "adam")
    page.goto(f"{site.url}/users")
    assert "已停用 vera" in _submit(page, _row(page, "vera").locator("form.state"))
    assert _row(page, "vera").locator("td.state").inner_text() == "已停用"
    assert _status(vera_elsewhere, site.url + "/review")[0] == 303
    _sign_out(page)
    sign_in(page, site, "vera", "vera-own-pw-3", expect_ok=False)
    assert page.url.endswith("/login")


def test_english_is_a_choice_kept_on_the_account(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "adam")
    assert "复核队列" in page.inner_text("nav")  # zh-CN by default
    page.goto(f"{site.url}/account")
    page.select_option("#language select[name=language]", "en")
    assert "language changed" in _submit(page, page.locator("#language"))
    assert "Review queue" in page.inner_text("nav") and page.get_attribute("html", "lang") == "en"
    page.goto(f"{site.url}/")
    assert "needs review" in page.inner_text(".card.st-needs_review")
    _sign_out(page)
    assert page.inner_text("button[type=submit]") == "登录"  # signed out: the default again
    sign_in(page, site, "adam")  # the choice is the account's, not the browser's
    assert "Review queue" in page.inner_text("nav")
    olga, _token = signed_in_client(site, "olga")  # another user is not affected
    assert "复核队列" in _status(olga, site.url + "/")[2]
    page.goto(f"{site.url}/account")
    page.select_option("#language select[name=language]", "zh_CN")
    assert "界面语言已更改" in _submit(page, page.locator("#language"))
    assert "复核队列" in page.inner_text("nav")
