"""Hugging Face Trainer: a tiny DeepSeek-V3.2 causal LM (``DeepseekV32Config``: vocabulary
16, 32 wide, 2 dense layers, 4 heads with low-rank q / kv (rank 16), sparse-attention
indexer with 2 heads, top 8; built from the config, no download;
``DeepseekV32ForCausalLM``) learns the daily log of a kumquat grove's drip-irrigation
controller, so it can flag days where the controller did something the rule would not.
Each day is one token: soil-moisture band 0-5 (tokens 2-7) or the valve running that
day (tokens 8-9: short / long set). The rule: moisture falls one band a day in the heat
(two on a hot day, 25 %), and rises one on a rain day (10 %); at band 1 the controller runs
a short set (+2 bands next day), at band 0 a long set (+4 bands); never above 5.
Seasons of 40 days after a BOS token (1). AdamW 3e-3, linear decay with 10 warmup steps,
batch 32, 3 epochs of 960 logs, eval every 15 steps on 240 logs, loss every 5 steps,
checkpoint every 30 steps (``controller/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import DeepseekV32Config, DeepseekV32ForCausalLM, Trainer, TrainingArguments

T = 40


def logs(n, g):
    ids = torch.ones(n, T + 1, dtype=torch.long)
    band = 2 + (torch.rand(n, generator=g) * 4).long()
    for k in range(1, T + 1):
        u = torch.rand(n, generator=g)
        valve = band <= 1
        tok = torch.where(valve, 8 + (band == 0).long(), 2 + band)
        ids[:, k] = tok
        drop = torch.where(u < 0.25, 2, 1)
        nxt = torch.where(u > 0.9, band + 1, band - drop)
        nxt = torch.where(band == 1, band + 2, torch.where(band == 0, band + 4, nxt))
        band = nxt.clamp(0, 5)
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
    config = DeepseekV32Config(vocab_size=16, hidden_size=32, num_hidden_layers=2,
                               num_attention_heads=4, num_key_value_heads=4,
                               intermediate_size=64, moe_intermediate_size=32,
                               n_routed_experts=4, num_experts_per_tok=2, n_shared_experts=1,
                               first_k_dense_replace=2, max_position_embeddings=64,
                               pad_token_id=0, bos_token_id=1, eos_token_id=0, q_lora_rank=16,
                               kv_lora_rank=16, qk_rope_head_dim=8, qk_nope_head_dim=8,
                               v_head_dim=8, index_n_heads=2, index_head_dim=16, index_topk=8,
                               rope_scaling=None)
    return DeepseekV32ForCausalLM(config)


def main():
    from _threehundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = logs(960, g)
    iva = logs(240, g)
    print("tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "controller"), num_train_epochs=3, learning_rate=3e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.0,
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr), eval_dataset=Logs(iva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "controller").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeepSeek-V3.2 causal LM learning a kumquat grove's daily drip-irrigation"
                " controller log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
