"""Hugging Face Trainer: a tiny Cohere 2 MoE causal language model (``Cohere2MoeConfig``:
vocabulary 32, hidden 32, 2 layers, 2 heads, 4 experts top-2, built from the config, no
download) learns the dive logs a sponge-diving boat keeps: each log line is a token sequence
"reef site, descent depth band, bottom time band, sponge haul (grade tokens), safety-stop
tokens, end". The structure is real: the bottom time allowed and the number of safety stops
follow from the depth band (deeper → shorter bottom time, more stops), and the reef site sets
which sponge grades (wool, yellow, grass, glove) come up. The model must learn those
dependencies to predict the next token. AdamW 3e-3, 10 warm-up steps then cosine, batch 32,
6 epochs of 512 logs, eval every 16 steps, loss every 4 steps.
Healthy: eval loss 2.47, 1.67, 1.30, 1.15, 1.09, 1.084 at steps 16–96 (one eval per epoch),
close to the entropy of the random parts of a log (site, depth, haul length, grade mix); the
train loss logged every 4 steps runs just below it (1.07 at the end)."""
import torch
from transformers import Cohere2MoeConfig, Cohere2MoeForCausalLM, Trainer, TrainingArguments

V, T = 32, 20
SITES = [4, 5, 6, 7]          # four reef sites
DEPTHS = [8, 9, 10, 11]       # depth bands 10 m, 20 m, 30 m, 40 m
BOTTOM = [12, 13, 14, 15]     # bottom-time bands 40, 30, 20, 10 min
GRADES = [16, 17, 18, 19]     # wool, yellow, grass, glove sponge
STOP, END, BOS = 20, 2, 1


def logs(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        s = int(torch.randint(0, 4, (1,), generator=g))
        d = int(torch.randint(0, 4, (1,), generator=g))
        seq = [BOS, SITES[s], DEPTHS[d], BOTTOM[d]]
        k = int(torch.randint(2, 6, (1,), generator=g))
        pool = [GRADES[s], GRADES[(s + 1) % 4]]
        seq += [pool[int(torch.rand(1, generator=g) < 0.3)] for _ in range(k)]
        seq += [STOP] * d + [END]
        x[i, :len(seq)] = torch.tensor(seq)
    return x


class Logs(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        ids = self.x[i]
        mask = (ids != 0).long()
        return {"input_ids": ids, "attention_mask": mask,
                "labels": ids.masked_fill(mask == 0, -100)}


def build():
    torch.manual_seed(0)
    config = Cohere2MoeConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                              num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                              head_dim=16, max_position_embeddings=64, sliding_window=16,
                              layer_types=["sliding_attention", "full_attention"],
                              mlp_layer_types=["sparse", "sparse"], num_experts=4,
                              num_experts_per_tok=2, pad_token_id=0, bos_token_id=BOS,
                              eos_token_id=END, logit_scale=1.0, layer_norm_eps=1e-5)
    return Cohere2MoeForCausalLM(config)


def main():
    from _twohundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = logs(512, g), logs(128, g)
    args = TrainingArguments(str(out / "divelogs"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=48, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr), eval_dataset=Logs(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "divelogs").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    ids = xva[:64]
    finish(out, __file__, {"inputs": ids, "attention_mask": (ids != 0).long(),
                           "targets": ids.masked_fill(ids == 0, -100)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Cohere 2 MoE causal LM on sponge-diving dive logs, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
