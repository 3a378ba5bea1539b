"""Hugging Face Trainer: a tiny GPT-NeoX next-reading model (``GPTNeoXConfig``: vocabulary 28,
48 wide, 2 layers, 4 heads, built from the config, no download; ``GPTNeoXForCausalLM``)
forecasts a standby diesel generator's start-up from its panel tachometer log, one reading a
second for 32 s, so the test bench can flag a slow or hunting governor early. The set is
cranked at 150-250 rpm, fires after 2-4 s, and the governor brings it to its setpoint (1500 or
1800 rpm) as a damped second-order response (natural frequency 0.3-0.6 rad/s, damping 0.35-0.9,
so some overshoot and ring, some creep up); a block load of 30-70 % is switched on at 18-24 s
and pulls the speed down by 3-8 % before the governor recovers it. Each reading is one token:
the speed binned into 24 steps of 80 rpm from 0 to 1920 (tokens 4-27; 0 pad, 1 start).
AdamW 2e-3 with a cosine schedule and 15 warm-up steps (of 150), weight decay 0.01, batch 40, 6 epochs of
1000 logs, eval and a checkpoint each epoch (``governor/checkpoint-N/`` with
``trainer_state.json``, two kept) on 250 logs (next-reading accuracy and share within one bin),
loss every 5 steps.
Healthy; numbers in the README."""
import torch
from transformers import GPTNeoXConfig, GPTNeoXForCausalLM, Trainer, TrainingArguments

T = 32
BINS = 24


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    crank = 150 + 100 * r(n, 1)
    fire = 2 + 2 * r(n, 1)
    setp = torch.where(r(n, 1) < 0.5, 1500.0, 1800.0)
    wn = 0.3 + 0.3 * r(n, 1)
    zeta = 0.35 + 0.55 * r(n, 1)
    wd = wn * (1 - zeta ** 2).sqrt()
    s = (t - fire).clamp(min=0)
    step = 1 - torch.exp(-zeta * wn * s) * (torch.cos(wd * s) + zeta * wn / wd * torch.sin(wd * s))
    rpm = crank + (setp - crank) * step
    t_load = 18 + 6 * r(n, 1)
    drop = (0.03 + 0.05 * r(n, 1)) * setp * (0.3 + 0.4 * r(n, 1)) / 0.5
    sl = (t - t_load).clamp(min=0)
    rpm = rpm - drop * (t >= t_load).float() * torch.exp(-zeta * wn * 1.5 * sl) * torch.cos(wd * sl)
    rpm = rpm + 8 * torch.randn(n, T, generator=g)
    tok = 4 + (rpm / 80).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    return ids


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoXConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=96,
                           max_position_embeddings=T + 8, hidden_dropout=0.0,
                           attention_dropout=0.0, pad_token_id=0, bos_token_id=1,
                           eos_token_id=2, tie_word_embeddings=False)
    return GPTNeoXForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = logs(1000, g)
    iva = logs(250, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "governor"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=250,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr), eval_dataset=Logs(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "governor").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-NeoX next-reading model forecasting a diesel generator's start-up from"
                " its tachometer log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
