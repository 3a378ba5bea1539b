"""Hugging Face Trainer: a tiny GPT-Neo (``GPTNeoConfig``: vocabulary 32, 48 wide, 2 layers
(one global, one local attention with a window of 8), 4 heads, built from the config, no
download; ``GPTNeoForCausalLM``) learns a tallowman's rendering-copper log so it can say
what the thermometer will read next and warn the chandler before the fat scorches. The log:
30 readings, one every 4 minutes, of a copper of beef or mutton fat on the fire. The
temperature climbs from the shop's 8-20 °C at a rate set by the fire and the load (1.2-3.5
°C a minute), stalls while the fat melts (a plateau at the melting point, 40-49 °C, longer for
a bigger load), climbs again, stalls near 100 °C while the water in the cracklings boils
off (7-25 minutes), then rises towards the rendering heat (110-125 °C) the chandler holds by
damping the fire; thermometer noise 0.6 °C. Each reading is one token: the temperature in
128 / 29 °C bins (about 4.4 °C) from 0 to 128 °C (tokens 3-31; 0 pad, 1 start, 2 end).
Next-token loss over the whole log (the model's own shift), AdamW 2e-3 with a cosine
schedule and 30 warmup steps, weight decay 0.05, batch 16, 4 epochs of 800 logs, eval every
50 steps on 200 logs (next-reading accuracy and share within one bin), loss every 10
steps, checkpoint every 50 steps (``copperlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import GPTNeoConfig, GPTNeoForCausalLM, Trainer, TrainingArguments

T = 30
BINS = 32 - 3


def coppers(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    start = 8 + 12 * r(n)
    rate = 1.2 + 2.3 * r(n)  # °C per minute on the fire
    load = 0.5 + r(n)  # hundredweights of fat
    melt = 40 + 9 * r(n)
    melt_min = 6 + 14 * load * (2.5 / rate)
    boil_min = 7 + 18 * r(n)
    hold = 110 + 15 * r(n)
    temps = torch.empty(n, T)
    for i in range(n):
        temp, left_melt, left_boil = start[i].item(), melt_min[i].item(), boil_min[i].item()
        for k in range(T):
            temps[i, k] = temp
            for _ in range(4):  # minutes between readings
                if temp >= melt[i] and left_melt > 0:
                    left_melt -= 1
                elif temp >= 99.5 and left_boil > 0:
                    left_boil -= 1
                    temp = 100.0
                elif temp < hold[i]:
                    temp = min(temp + rate[i].item() * (1 - 0.4 * (temp > 100)), hold[i].item())
    temps = temps + 0.6 * torch.randn(n, T, generator=g)
    tok = 3 + (temps / 128 * BINS).floor().clamp(0, BINS - 1).long()
    start_tok = torch.ones(n, 1, dtype=torch.long)
    return torch.cat([start_tok, tok, torch.full((n, 1), 2, dtype=torch.long)], 1)


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoConfig(vocab_size=3 + BINS, max_position_embeddings=T + 8, hidden_size=48,
                          num_layers=2, num_heads=4, attention_types=[[["global", "local"], 1]],
                          window_size=8, intermediate_size=96, embed_dropout=0.0,
                          attention_dropout=0.0, resid_dropout=0.0, pad_token_id=0,
                          bos_token_id=1, eos_token_id=2)
    return GPTNeoForCausalLM(config)


def next_token(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    m = (y >= 3)  # the readings, not the start / end tokens
    return {"next_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = coppers(800, g)
    iva = coppers(200, g)
    print("token range", itr[:, 1:-1].min().item(), itr[:, 1:-1].max().item())
    args = TrainingArguments(str(out / "copperlog"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr),
                      eval_dataset=Logs(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=next_token)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "copperlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-Neo learning a tallowman's rendering-copper temperature log to"
                " predict the next reading, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
