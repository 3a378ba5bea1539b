"""Hugging Face Trainer: a tiny JetMoE causal model (``JetMoeConfig``: vocabulary 40, 48 wide,
2 layers, 2 experts with 1 routed per token, built from the config, no download;
``JetMoeForCausalLM``) forecasts the next blade-temperature reading in a razorgrinder's log,
so the shop's thermocouple rig can warn before a straight razor's edge loses its temper
(above about 200 °C). A log is 32 readings, one every 3 s, while a blade is hollow-ground:
each pass on the wheel heats it by a step set by the grinder's pressure and the wheel's grit
(5-14 °C, with ±20 % pass to pass), it cools towards the 20 °C shop air by Newton's law
between readings (2-5 % of the excess per 3 s), and the grinder dunks the blade in the water
pot when it feels warm (a habit threshold of 70-120 °C per grinder), the next reading then
being the water's 18-26 °C. Each reading is one token: 5 °C bins from 15 °C (tokens 3-39; 0
pad, 1 start). The model has to read the grinder's heating step and dunk habit from the log
so far. AdamW 2e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 16, 4 epochs
of 800 logs, eval every 50 steps on 200 logs (next-reading accuracy and share within one
bin), loss every 10 steps, checkpoint every 50 steps (``heatlog/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import JetMoeConfig, JetMoeForCausalLM, Trainer, TrainingArguments

T = 32
BINS = 37


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    step = 5 + 9 * r(n)
    cool = 0.02 + 0.03 * r(n)
    dunk_at = 70 + 50 * r(n)
    temp = 20 + 4 * r(n)
    out = torch.empty(n, T)
    for t in range(T):
        out[:, t] = temp
        dunked = temp > dunk_at
        heat = step * (0.8 + 0.4 * r(n))
        temp = torch.where(dunked, 18 + 8 * r(n), temp + heat - cool * (temp - 20))
    tok = 3 + ((out - 15) / 5).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


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
    config = JetMoeConfig(vocab_size=3 + BINS, hidden_size=48, num_hidden_layers=2,
                          num_key_value_heads=2, kv_channels=12, intermediate_size=96,
                          max_position_embeddings=T + 8, num_local_experts=2,
                          num_experts_per_tok=1, pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return JetMoeForCausalLM(config)


def argmax_logits(logits, labels):
    logits = logits[0] if isinstance(logits, tuple) else logits
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = logs(800, g)
    iva = logs(200, g)
    print("max token", itr.max().item(), "dunk share", (itr[:, 1:] <= 5).float().mean().item())
    args = TrainingArguments(str(out / "heatlog"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr), eval_dataset=Logs(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "heatlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny JetMoE causal model forecasting the next blade temperature in a"
                " razorgrinder's hollow-grinding log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
