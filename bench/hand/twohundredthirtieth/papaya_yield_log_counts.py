"""Plain torch: an MLP regresses a papaya tree's fruit count at the next pick (log scale) from
8 standardised grove-survey numbers (trunk girth, leaf count, tree age, soil moisture, last
pick's count, ring-spot virus score, shade, fertiliser dose). Counts are Poisson around a
rate set by girth, leaves, moisture and the last pick, cut by the virus score; 147 of 1600 (9 %) of
trees bear no fruit this round. Linear(8→64)-ReLU-Linear(64→64)-ReLU-Linear(64→1); Adam 2e-3,
batch 64, 10 epochs of 1280 trees, MSE on the log count; per-epoch CSV (``epoch``,
``train_mse``, ``val_mse``); checkpoint ``model`` / ``optim`` / ``epoch``.
The bug: the target is ``torch.log(counts)``, and a zero count gives −inf. Train and val MSE are
nan from epoch 1 to 10. Control (``sed 's/torch.log(counts)/torch.log1p(counts)/'``): train
MSE 1.19 → 0.218, val MSE 0.584 → 0.243.
"""
import torch
import torch.nn as nn


def trees(n, g):
    x = torch.randn(n, 8, generator=g)
    rate = torch.exp(1.6 + 0.35 * x[:, 0] + 0.3 * x[:, 1] + 0.25 * x[:, 3] + 0.3 * x[:, 4]
                     - 0.5 * torch.relu(x[:, 5]) * 1.6)
    counts = torch.poisson(rate, generator=g)
    return x, counts


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _twohundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, counts = trees(1600, g)
    print("zero counts", int((counts == 0).sum()))
    y = torch.log(counts).unsqueeze(1)
    xva, yva = x[1280:], y[1280:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:1280], y[:1280]),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    mse = nn.MSELoss()
    rows = ["epoch,train_mse,val_mse"]
    for epoch in range(1, 11):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = mse(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            vm = mse(model(xva), yva).item()
        print(epoch, tot / 1280, vm)
        rows.append(f"{epoch},{tot / 1280:.4f},{vm:.4f}")
    (out / "yield_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 10},
               out / "yield_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="yield_mlp.pt", log="yield_log.csv",
           what="papaya fruit-count MLP regressing log counts, zero counts in the data",
           complaint=("番木瓜果园的产量预测:一个小MLP,用8个调查指标(树干周长、叶片数、土壤湿度、"
                      "上次采摘数等)预测每棵树下次采摘的果数(取对数后做回归)。从第一个epoch开始"
                      "训练MSE和验证MSE就全是nan,10个epoch一直是nan。学习率只有2e"
                      "-3,输入也标准化过了。为什么会这样?"))


if __name__ == "__main__":
    main()
