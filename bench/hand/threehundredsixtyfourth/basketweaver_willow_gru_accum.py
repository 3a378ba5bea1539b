"""Plain torch: a GRU follows a basketweaver's bundles of freshly cut willow as they dry in
the yard before storage, and gives at every day of the 40-day log the bundle's moisture
content (dry basis, as a share), so rods go into store when dry enough not to rot and are
not left to go brittle. Each day: the bundle's weight as a share of its cutting weight, the
day's mean temperature (°C / 20), the relative humidity and the rain flag. Rods come in at
0.8-1.3 moisture (unknown to the weaver: that is why the weight alone does not tell); each
day they lose k × (m - m_eq), with k set by temperature and humidity and the bundle's
thickness (unknown too), towards the equilibrium moisture of the day's air (0.10-0.22), and a
wet day puts 0.02-0.06 back. The weight share is (1 + m) / (1 + m0) with a scale error of
0.5 %. Target per day: m, as (m - 0.5) / 0.3.
Model: GRU 4→48 (one layer), Linear 48→1 per step; MSE over all steps, SGD 0.1 momentum
0.9, micro-batches of 16 bundles with gradients accumulated over 4 of them (64 bundles per
step), 14 epochs, 1280 bundles, validation on 320.
The bug: each micro-batch's loss is backpropagated as it is
(``loss = crit(model(xb), yb)  # MSE over the whole log``) and the step is taken after 4 of
them, so the step is the sum of 4 mean gradients, 4× the learning rate that was set:
the logged step loss goes 1.64, 1.89, 11.3, 36.6, 3.6e3 at step 4, 7.6e7 at step 6,
inf from step 17 and nan from then on; val MSE nan from epoch 0 (control,
``loss = crit(model(xb), yb) / ACCUM``: val MSE 0.367 → 0.136 (0.126 at epoch 12), val MAE
0.148 → 0.088 moisture). At SGD 0.05 the same bug did not hurt (val MSE 0.131 against 0.129
for its control), so the run uses 0.1.
Log: TSV per optimizer step ``drying_steps.tsv`` (``step`` / ``epoch`` / ``mse``) and a TSV per
epoch ``drying_val.tsv`` (``epoch`` / ``val_mse`` / ``val_mae_moisture`` /
``val_mae_last_week``), named as the log in the truth; checkpoint ``willow_gru.bin`` with
keys ``gru_state`` / ``sgd_state`` / ``epoch`` / ``accum`` / ``target_shift`` /
``target_scale``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DAYS = 40
ACCUM = 4


def bundles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    m = 0.8 + 0.5 * r(n)
    m0 = m.clone()
    thick = 0.6 + 0.8 * r(n)
    temp0 = 8 + 14 * r(n, 1)
    temp = temp0 + 4 * torch.randn(n, DAYS, generator=g)
    rh = (0.55 + 0.3 * r(n, 1) + 0.12 * torch.randn(n, DAYS, generator=g)).clamp(0.3, 0.99)
    rain = (r(n, DAYS) < 0.25 + 0.5 * (rh - 0.55)).float()
    meq = 0.10 + 0.12 * (rh - 0.3) / 0.69
    ms = torch.empty(n, DAYS)
    for d in range(DAYS):
        k = 0.03 * (1 + temp[:, d] / 15).clamp(min=0.2) * (1.3 - rh[:, d]) / thick
        m = m - k * (m - meq[:, d]) + rain[:, d] * (0.02 + 0.04 * r(n))
        ms[:, d] = m
    w = (1 + ms) / (1 + m0).unsqueeze(1) * (1 + 0.005 * torch.randn(n, DAYS, generator=g))
    x = torch.stack([w, temp / 20, rh, rain], 2)
    return x, ((ms - 0.5) / 0.3).unsqueeze(2)


class DryingGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return DryingGRU()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bundles(1280, g)
    xva, yva = bundles(320, g)
    print("target mean / std", ytr.mean().item(), ytr.std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    crit = nn.MSELoss()
    step = 0
    with open(out / "drying_steps.tsv", "w") as fs, open(out / "drying_val.tsv", "w") as fv:
        fs.write("step\tepoch\tmse\n")
        fv.write("epoch\tval_mse\tval_mae_moisture\tval_mae_last_week\n")
        for epoch in range(14):
            model.train()
            opt.zero_grad()
            run = 0.0
            for i, (xb, yb) in enumerate(dl):
                loss = crit(model(xb), yb)  # MSE over the whole log
                loss.backward()
                run += loss.item()
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    fs.write(f"{step}\t{epoch}\t{run / ACCUM:.6f}\n")
                    run = 0.0
                    step += 1
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            err = (pred - yva).abs() * 0.3
            row = [crit(pred, yva).item(), err.mean().item(), err[:, -7:].mean().item()]
            fv.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"gru_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 14,
                "accum": ACCUM, "target_shift": 0.5, "target_scale": 0.3},
               out / "willow_gru.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="willow_gru.bin", log="drying_val.tsv",
           what="GRU giving a willow bundle's moisture every day of its drying log; gradients"
                " summed over 4 micro-batches without dividing the loss by 4",
           complaint="柳条干燥的GRU模型（每天预测含水率），用了梯度累积（4个小批次，每批16），"
                     "SGD学习率0.1。第一个epoch刚开始loss就爆了：1.6、1.9、11、36，第5步已经3500多，"
                     "第17步变成inf，之后全是nan，验证集MSE从第一个epoch起就是nan，"
                     "14个epoch全是nan。数据我检查过，没有nan也没有异常值，这是为什么？")


if __name__ == "__main__":
    main()
