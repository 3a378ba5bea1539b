"""Plain torch: an MLP decides whether a curried cattle side will pass as harness-grade
(bridle and trace leather, the currier's best price) from the tannery's numbers on the side,
before the grader's eye: pass when the mean substance is 4.2-5.6 mm, the thickness spread
under 9 % of it, the grain-tightness score at least 3.0, the shrink temperature at least
74 °C and the natural fat under 4.5 % (about 7 % of sides pass). Eight inputs,
standardised: mean thickness (mm), thickness spread (mm), grain tightness, shrink temperature
(°C), natural fat %, dubbin %, moisture %, belly share; the lab numbers carry reading noise,
the grade follows the true side.
Model: Linear 8→64 + ReLU, Linear 64→64 + ReLU, Linear 64→1, sigmoid; binary cross-entropy
written out by hand on the sigmoid output, Adam 4e-3, batch 64, 30 epochs, 2000 sides,
validation on 500.
The bug: the hand-written cross-entropy
``loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # binary cross-entropy``
takes the log of the sigmoid output with no epsilon or clamp: once the net is sure of an
easy side (logit above ~17) ``p`` rounds to exactly 1.0 in float32, ``log(1 - p)`` is -inf,
``0 * -inf`` is NaN, and the NaN gradient ruins every weight in one step. Measured: val accuracy 0.94 → 0.98
and pass recall 0 → 0.6-0.87 up to epoch 22, then the loss is NaN from step 752 (epoch 23)
on, val BCE NaN, val accuracy 0.94 (the fail share) and pass recall 0 to the end; control
(``torch.log(p + 1e-7)`` / ``torch.log(1 - p + 1e-7)``): no NaN, val accuracy 0.972 and pass
recall 0.67 at epoch 29 (val BCE 0.044 at best, 0.084 at the end).
Log: TSV every 8 steps ``harness_steps.tsv`` (``step`` / ``epoch`` / ``bce``) and a per-epoch
TSV ``harness_val.tsv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_pass_recall``, named as
the log in the truth); checkpoint ``harness_grade.ckpt`` with keys ``mlp`` / ``opt`` /
``epoch`` / ``feat_mu`` / ``feat_sd`` / ``rule``."""
import torch
import torch.nn as nn


def sides(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick = 3.6 + 2.6 * r(n)
    spread = thick * (0.03 + 0.12 * r(n))
    grain = 1.5 + 3.5 * r(n)
    shrink = 64 + 22 * r(n)
    fat = 1.0 + 5.0 * r(n)
    dubbin = 8 + 16 * r(n)
    moist = 10 + 8 * r(n)
    belly = 0.18 + 0.2 * r(n)
    ok = ((thick >= 4.2) & (thick <= 5.6) & (spread / thick < 0.09) & (grain >= 3.0)
          & (shrink >= 74) & (fat < 4.5))
    x = torch.stack([thick, spread, grain, shrink, fat, dubbin, moist, belly], 1)
    noise = torch.tensor([0.04, 0.02, 0.08, 0.8, 0.1, 0.5, 0.5, 0.01])
    return x + noise * torch.randn(n, 8, generator=g), ok.float().unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sides(2000, g)
    xva, yva = sides(500, g)
    print("pass rate", ytr.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    step = 0
    with open(out / "harness_steps.tsv", "w") as fs, open(out / "harness_val.tsv", "w") as fv:
        fs.write("step\tepoch\tbce\n")
        fv.write("epoch\tval_bce\tval_acc\tval_pass_recall\n")
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            for b in range(0, len(xtr), 64):
                idx = perm[b:b + 64]
                y = ytr[idx]
                p = torch.sigmoid(model(xtr[idx]))
                loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # binary cross-entropy
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 8 == 0:
                    fs.write(f"{step}\t{epoch}\t{loss.item():.6f}\n")
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            vb = nn.functional.binary_cross_entropy_with_logits(logit, yva).item()
            pred = (logit > 0).float()
            acc = (pred == yva).float().mean().item()
            rec = pred[yva == 1].mean().item()
            fv.write(f"{epoch}\t{vb:.6f}\t{acc:.4f}\t{rec:.4f}\n")
            print(epoch, round(vb, 5), round(acc, 4), round(rec, 4), round(logit.abs().max().item(), 2))
    torch.save({"mlp": model.state_dict(), "opt": opt.state_dict(), "epoch": 30, "feat_mu": mu,
                "feat_sd": sd, "rule": "4.2-5.6 mm, spread < 9 %, grain >= 3, Ts >= 74 C, fat < 4.5 %"},
               out / "harness_grade.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="harness_grade.ckpt", log="harness_val.tsv",
           what="MLP passing or failing a curried side as harness leather, hand-written BCE"
                " taking log of the sigmoid output with no epsilon",
           complaint=("我们用一个小 MLP 判断鞣好的牛皮能不能评为马具级（合格率大约 7%）。"
                     "前 22 个 epoch 都很正常，验证准确率 0.97-0.98，合格品召回率 0.6-0.87；"
                     "第 23 个 epoch 训练损失突然变成 nan，之后验证损失也是 nan，"
                     "准确率一直停在 0.94，一个合格的都认不出来了。学习率没动过，"
                     "输入数据也检查过没有 nan 或 inf。为什么会突然这样？"))


if __name__ == "__main__":
    main()
