"""Hugging Face Trainer: a tiny MBart decoder (``MBartConfig``: vocabulary 24, 48 wide,
2 decoder layers, 4 heads, built from the config, no download; ``MBartForCausalLM``) reads a
wildfowler's foreshore tide log and says the next hour's water level, so a gunner out on the
saltings at dawn knows when the flood will cut off the creek behind him. 40 hourly readings of
the level on the marsh-edge staff: the semi-diurnal lunar tide (M2, 12.42 h) with a range of
2.5-5.5 m that swells and shrinks over the spring-neap cycle (the solar S2 tide, 12.00 h, at
0.3-0.45 of M2), a shallow-water overtide (M4) that makes the flood quicker than the ebb, a
wind surge that drifts slowly (±0.4 m), and staff-reading noise. Each reading is one token:
the level binned into 20 steps of 0.4 m from -4 m to +4 m about mean sea level (tokens 4-23;
0 pad, 1 start). Next-token prediction on every reading: ``MBartForCausalLM`` does not shift
its labels, so the dataset hands it the log moved one place left (-100 on the last place).
AdamW 2e-3 with cosine decay and 25 warmup steps, weight decay 0.05, batch 48, 8 epochs of
1152 logs, eval every 24 steps (each epoch) on 288 logs (next-reading accuracy and share within
one bin), loss every 8 steps, checkpoint each eval (``flightlog/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import MBartConfig, MBartForCausalLM, Trainer, TrainingArguments

T = 40
BINS = 20


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float().unsqueeze(0) + 24 * r(n, 1)
    m2 = (1.25 + 1.5 * r(n, 1))  # half-range of the lunar tide, m
    s2 = m2 * (0.3 + 0.15 * r(n, 1))
    day = 2 * math.pi * r(n, 1)  # where in the spring-neap cycle the log starts
    w = 2 * math.pi * t / 12.42
    lvl = m2 * torch.cos(w) + s2 * torch.cos(2 * math.pi * t / 12.0 + day)
    lvl = lvl + 0.12 * m2 * torch.cos(2 * w + 1.2)  # shallow-water overtide
    surge = 0.4 * (2 * r(n, 1) - 1) + 0.15 * torch.sin(t / 15 + 6 * r(n, 1))
    lvl = lvl + surge + 0.08 * torch.randn(n, T, generator=g)
    tok = 4 + ((lvl + 4) / 0.4).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class TideLogs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": torch.cat([self.ids[i][1:], torch.tensor([-100])])}


def build():
    torch.manual_seed(0)
    config = MBartConfig(vocab_size=4 + BINS, d_model=48, decoder_layers=2, encoder_layers=2,
                         decoder_attention_heads=4, encoder_attention_heads=4,
                         decoder_ffn_dim=96, encoder_ffn_dim=96, max_position_embeddings=T + 8,
                         dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                         pad_token_id=0, bos_token_id=1, eos_token_id=3,
                         decoder_start_token_id=1, is_decoder=True, is_encoder_decoder=False)
    return MBartForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"next_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = logs(1152, g)
    iva = logs(288, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "flightlog"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=48, per_device_eval_batch_size=288,
                             logging_steps=8, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=24, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=TideLogs(itr),
                      eval_dataset=TideLogs(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "flightlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    nxt = torch.cat([iva[:64, 1:], torch.full((64, 1), -100)], 1)
    finish(out, __file__, {"inputs": iva[:64], "targets": nxt},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MBart decoder (MBartForCausalLM) predicting the next hourly tide level in"
                " a wildfowler's foreshore log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
